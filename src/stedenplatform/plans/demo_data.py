def load(console) -> None:
    """Load this module's demo data."""
