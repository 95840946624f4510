import pytest

from articles.models import Source
from tests.factories import member
from tests.pictures.files import AGENCY_NOTICE, stored_picture
from tests.pictures.stories import CAPTION


@pytest.fixture(autouse=True)
def media_root_of_its_own(settings, tmp_path):
    """Each test stores pictures and renditions in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(make_source):
    """Our own source: its pictures are ours, with every right."""
    return make_source("The Newsroom", kind=Source.Kind.STAFF, credit_line="Staff")


@pytest.fixture
def photo(staff):
    """Make a staff photo that every channel may show, captioned and credited; `fields` change
    the rest (its rights among them)."""

    def make(**fields):
        values = {
            "caption": CAPTION,
            "credit_line": "Ana Lima",
            "copyright_holder": "The Newsroom",
            "copyright_year": 2026,
            "copyright_notice": "© 2026 The Newsroom",
            **fields,
        }
        return stored_picture(staff, **values)

    return make


@pytest.fixture
def editor_client(db, client):
    client.force_login(member("Editor"))
    return client


@pytest.fixture
def refused(make_source):
    """An agency's picture whose notice forbids publication (and no licence lifts it)."""
    return stored_picture(
        make_source("Meridian Press Agency"),
        copyright_notice=AGENCY_NOTICE,
        may_publish=False,
        rights_basis={"publish": "notice"},
        rights_explanation="",
    )
