"""Addresses reversed once and filled in: always what reverse() gives."""

import pytest
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix

from foundation.addresses import Address
from partnerships.models import partnership_address, person_address

SLUGS = ["sefton-safer-communities-partnership", "smp", "a_b-2", "slug-stand-in-0", "partnership"]


@pytest.fixture
def prefix():
    before = get_script_prefix()

    def use(new):
        set_script_prefix(new)

    yield use
    set_script_prefix(before)


@pytest.mark.parametrize("script_prefix", ["/", "/governance/", "/slug-stand-in-0/"])
def test_slug_addresses_are_those_reverse_gives(prefix, script_prefix):
    """Under any script prefix, one that holds the stand-in too (that one is
    reversed in full, each time)."""
    prefix(script_prefix)
    for slug in SLUGS:
        assert person_address(slug) == reverse("partnerships:person", args=[slug])
        assert partnership_address(slug) == reverse("partnerships:detail", args=[slug])
        assert person_address(slug).startswith(script_prefix)


def test_prefixes_in_turn_in_one_process(prefix):
    """The reversed address is kept per script prefix, not the first one
    for ever."""
    for script_prefix in ["/governance/", "/", "/governance/"]:
        prefix(script_prefix)
        assert person_address("smp") == f"{script_prefix}people/smp/"


def test_an_address_of_two_values(prefix):
    prefix("/governance/")
    minute = Address("meetings:minute", "slug-stand-in-0", "2000-01-01", "12345")
    assert minute("smp", "2019-12-05", "7") == reverse("meetings:minute", args=["smp", "2019-12-05", 7])


def test_the_wrong_number_of_values_is_refused():
    with pytest.raises(ValueError):
        person_address("smp", "extra")


@pytest.mark.parametrize("script_prefix", ["/", "/governance/", "/slug-stand-in-0/"])
def test_an_address_for_rows_is_what_reverse_gives_for_each_row(prefix, script_prefix):
    """for_rows() reads the URLconf and the script prefix once, for a list's
    rows: each row's address is still reverse()'s, under any prefix, one
    that holds the stand-in too."""
    prefix(script_prefix)
    meeting = Address("meetings:meeting", "slug-stand-in-0", "2000-01-01")
    address_of = meeting.for_rows()
    for slug in SLUGS:
        for day in ("2019-12-05", "2000-01-01"):
            assert address_of(slug, day) == reverse("meetings:meeting", args=[slug, day])
    # A value short: refused, whichever way the address is made.
    with pytest.raises((ValueError, NoReverseMatch)):
        address_of("smp")
