"""
Addresses that pages print by the dozen, reversed once.

reverse() costs tens of microseconds, and a list of fifty meetings or three
hundred partnerships asks for one address a row, each differing only in a
slug or a date. So an address is reversed once per URLconf and script prefix
with stand-in arguments, and each row's values are put in the stand-ins'
places.

A stand-in must be a value the URL's converter accepts; values must be ones
an address carries as they are (slugs: letters, digits, hyphens and
underscores; ISO dates). Should a stand-in turn up anywhere else in the
reversed address (a script prefix that happens to contain it), that address
is reversed in full every time instead: slower, never wrong.
"""

import functools
import itertools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


class Address:
    """reverse(name, args=values) for an address whose arguments are all
    carried as they are: `Address("partnerships:person", "slug-stand-in")`,
    then `address(person.slug)`."""

    def __init__(self, name, *stand_ins):
        self.name = name
        self.stand_ins = stand_ins

    def __call__(self, *values):
        return self.for_rows()(*values)

    def for_rows(self):
        """This address as a function of its values, with the URLconf and
        the script prefix read once (each is a lookup in the request's
        thread-local state, which costs as much as filling the address in):
        for a list that prints one address a row."""
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        pieces = _pieces(self.name, self.stand_ins, urlconf, get_script_prefix())
        if pieces is None:
            return functools.partial(_reversed, self.name, urlconf)
        return functools.partial(_filled, pieces[:-1], pieces[-1])


def _reversed(name, urlconf, *values):
    return reverse(name, args=values, urlconf=urlconf)


def _filled(before, last, *values):
    return "".join(itertools.chain.from_iterable(zip(before, values, strict=True))) + last


@functools.lru_cache(maxsize=64)
def _pieces(name, stand_ins, urlconf, script_prefix):
    """The reversed address cut at each stand-in, or None if a stand-in is
    not found exactly once, in order. `script_prefix` is part of the key
    only: reverse() reads it for itself."""
    rest = reverse(name, args=stand_ins, urlconf=urlconf)
    pieces = []
    for stand_in in stand_ins:
        if rest.count(stand_in) != 1 or any(stand_in in piece for piece in pieces):
            return None
        before, _, rest = rest.partition(stand_in)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)
