"""Words typed into a search box, made safe to search with."""

import re

# A NUL is refused by PostgreSQL in any string; the rest mean nothing in a search.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def search_words(value):
    """The words typed: control characters read as spaces, runs of space as one."""
    return " ".join(CONTROL.sub(" ", value).split())


def in_sentence(label):
    """A label as it reads inside a sentence or brackets: "Postponed to
    6 March 2027" becomes "postponed to 6 March 2027", its first letter
    alone lowered (str.lower would lower the month's name too)."""
    return label[:1].lower() + label[1:]
