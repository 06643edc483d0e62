"""Fixtures the meetings tests share: a partnership, its clerk, and the page
cache on (a module may define its own of the same name instead)."""

import pytest

from tests.partnerships.factories import PartnershipFactory
from tests.roles import staff_user


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def sefton(db):
    return PartnershipFactory(name="Sefton Safer Communities Partnership", slug="sefton")


@pytest.fixture
def clerk(sefton):
    return staff_user("clerk", "Clerk", [sefton])
