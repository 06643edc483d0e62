"""
Marks up the first use on a page of each glossary term, as
<abbr title="expansion">TERM</abbr>, where clerk-typed text is rendered
(the paragraphs tags in foundation/templatetags/site_tags.py).

The text is plain, so marking it up is escaping it with the terms wrapped:
nothing is ever parsed, and links, existing <abbr>s and attributes are never
reached because the helpers that make them mark only the text between them.
"""

import functools
import html
import logging
import re

from django.db import InterfaceError, OperationalError
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


@functools.lru_cache(maxsize=8)
def _pattern(abbreviations):
    # Longest first, so that a term that starts another ("DA", "DAS") never
    # wins over it. Case-sensitive whole words: "NOCS" but not "NOCSX" or
    # "Nocs"; (?<!\w)/(?!\w) rather than \b, which would match "SMP" in "x_SMP".
    alternatives = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class FirstUses:
    """The glossary's terms ({abbreviation: expansion}) and which of them one
    page has marked up so far: made once per page build (see first_uses)."""

    def __init__(self, expansions):
        self.expansions = expansions
        self.pattern = _pattern(frozenset(expansions)) if expansions else None
        self.used = set()

    def mark(self, text):
        """Plain `text`, escaped, with the page's first use of each term
        wrapped in <abbr title>."""
        if self.pattern is None:
            return escape(text)
        # html.escape is what django.utils.html.escape calls, without the
        # checks for lazy text that cost more than it does, line after line.
        pieces, position = [], 0
        for match in self.pattern.finditer(text):
            abbreviation = match.group()
            if abbreviation in self.used:
                continue
            self.used.add(abbreviation)
            pieces += [
                html.escape(text[position : match.start()]),
                format_html('<abbr title="{}">{}</abbr>', self.expansions[abbreviation], abbreviation),
            ]
            position = match.end()
        pieces.append(html.escape(text[position:]))
        return mark_safe("".join(pieces))  # noqa: S308 (every piece escaped or built by format_html)

    def assemble(self, fragment):
        """A fragment rendered with DeferredMarks, its placeholders filled in the
        page's order: the page's first use of a term marked up, the rest plain."""

        def fill(match):
            abbreviation = match[1]
            if abbreviation not in self.expansions:
                return html.escape(abbreviation)
            if abbreviation in self.used:
                return html.escape(abbreviation)
            self.used.add(abbreviation)
            return format_html('<abbr title="{}">{}</abbr>', self.expansions[abbreviation], abbreviation)

        return mark_safe(_DEFERRED.sub(fill, fragment) if "\x00" in fragment else fragment)  # noqa: S308


# A term's place in a fragment rendered apart from its page (DeferredMarks):
# NUL never occurs in stored text (PostgreSQL refuses it, forms reject it).
_DEFERRED = re.compile("\x00([^\x00]{1,100})\x00")


class DeferredMarks(FirstUses):
    """Marks every use of each term as a placeholder, for a fragment of a
    page rendered apart from it and cached (an agenda item's body): which use
    is the page's first is decided when the page puts its fragments together
    in order (FirstUses.assemble), so that a fragment is the same wherever on
    the page, and on whichever page, it is shown."""

    def mark(self, text):
        if self.pattern is None:
            return escape(text)
        text = text.replace("\x00", "")
        pieces, position = [], 0
        for match in self.pattern.finditer(text):
            pieces += [html.escape(text[position : match.start()]), f"\x00{match.group()}\x00"]
            position = match.end()
        pieces.append(html.escape(text[position:]))
        return mark_safe("".join(pieces))  # noqa: S308 (escaped; the placeholders are filled by assemble)


def first_uses(context):
    """The FirstUses of the page `context` renders, kept on its request (or,
    rendered without one, on the context), so that the terms are read once
    per page build and each is marked only at its first use on the page."""
    holder = getattr(context, "request", None) or context
    first_uses = getattr(holder, "glossary_first_uses", None)
    if first_uses is None:
        from .models import Term

        try:
            expansions = Term.objects.expansions()
        except (OperationalError, InterfaceError):
            # A page built without the database (the consultation's
            # confirmation) is still sent when it is down, unmarked.
            logging.getLogger(__name__).warning("Glossary terms not marked: the database is unreachable")
            expansions = {}
        first_uses = holder.glossary_first_uses = FirstUses(expansions)
    return first_uses
