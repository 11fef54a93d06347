import pytest


@pytest.fixture
def data_dir(settings, tmp_path):
    """A private data directory per test, so that no microdata is left behind."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR
