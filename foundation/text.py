"""Words typed into a search box, made safe to search with."""

import re

# A NUL is refused by PostgreSQL in any string; the rest mean nothing in a search.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_words(value):
    """The words typed: control characters read as spaces, runs of space as one."""
    return " ".join(CONTROL.sub(" ", value).split())
