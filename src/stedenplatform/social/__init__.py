"""DEMaD."""
