"""
Marks up the first use of each glossary term on a page with
<abbr title="expansion">TERM</abbr>.

The page is parsed with Python's own html.parser, never with regular
expressions over markup: only text inside <main> is looked at, never an
attribute, and never text inside elements where an <abbr> would be wrong or
useless (links, existing abbreviations, code, scripts, form controls).
The parser only *finds* where each first use is; the <abbr> tags are then
spliced into the original text, so everything else on the page is returned
byte for byte as it was.
"""

import functools
import re
from html.parser import HTMLParser

from django.utils.html import escape

# Text inside these is left alone. Headings are marked up like any text.
SKIPPED_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "button",
        "code",
        "dfn",
        "kbd",
        "math",
        "noscript",
        "option",
        "pre",
        "samp",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)


# Characters parsed at a time (see mark_first_uses).
CHUNK = 16 * 1024


@functools.lru_cache(maxsize=8)
def _pattern(abbreviations):
    # Longest first, so that a term that starts another ("DA", "DAS") never
    # wins over it. Case-sensitive whole words: "NOCS" but not "NOCSX" or
    # "Nocs"; (?<!\w)/(?!\w) rather than \b, which would match "SMP" in "x_SMP".
    alternatives = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class _FirstUseFinder(HTMLParser):
    def __init__(self, source, pattern):
        # convert_charrefs=False: each text chunk reaches handle_data exactly
        # as written in the source, so its position can be found in it.
        super().__init__(convert_charrefs=False)
        self.source = source
        self.pattern = pattern
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self.main_depth = 0
        self.skipped = dict.fromkeys(SKIPPED_ELEMENTS, 0)
        self.skipped_depth = 0
        self.used = set()
        self.first_uses = []  # (start, end, abbreviation), in page order

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.main_depth += 1
        elif tag in self.skipped:
            self.skipped[tag] += 1
            self.skipped_depth += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.main_depth = max(self.main_depth - 1, 0)
        elif self.skipped.get(tag):
            self.skipped[tag] -= 1
            self.skipped_depth -= 1

    def handle_data(self, data):
        if not self.main_depth:
            return
        if self.skipped_depth:
            # A term the author already wrapped in <abbr> counts as its first use.
            if self.skipped["abbr"] == self.skipped_depth:
                self.used.update(match.group() for match in self.pattern.finditer(data))
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        if self.source[start : start + len(data)] != data:
            return  # never splice anywhere we are not certain of
        for match in self.pattern.finditer(data):
            abbreviation = match.group()
            if abbreviation not in self.used:
                self.used.add(abbreviation)
                self.first_uses.append((start + match.start(), start + match.end(), abbreviation))


def mark_first_uses(html, expansions):
    """`html` with the first use of each abbreviation in `expansions`
    ({abbreviation: expansion}) inside <main> wrapped in <abbr title>."""
    main_at = html.find("<main")
    if main_at < 0 or not expansions:
        return html
    pattern = _pattern(frozenset(expansions))
    source = html[main_at:]
    matches = list(pattern.finditer(source))
    if not matches:
        return html  # no term anywhere on the page: no parsing at all
    present = {match.group() for match in matches}
    finder = _FirstUseFinder(source, pattern)
    # Fed a piece at a time, each ending just before a "<" so that no word is
    # cut in two, and stopped once every term in the text has had its first
    # use or no term is left further on: a long page of minutes is rarely
    # parsed to the end.
    done = 0
    while done < matches[-1].end() and not present <= finder.used:
        cut = source.find("<", done + CHUNK)
        cut = len(source) if cut < 0 else cut
        finder.feed(source[done:cut])
        done = cut
    finder.close()
    if not finder.first_uses:
        return html
    pieces, done = [], 0
    for start, end, abbreviation in finder.first_uses:
        pieces += [
            html[done : main_at + start],
            f'<abbr title="{escape(expansions[abbreviation])}">{abbreviation}</abbr>',
        ]
        done = main_at + end
    pieces.append(html[done:])
    return "".join(pieces)
