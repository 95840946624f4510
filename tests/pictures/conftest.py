import pytest


@pytest.fixture(autouse=True)
def media_root_of_its_own(settings, tmp_path):
    """Each test stores pictures and renditions in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
