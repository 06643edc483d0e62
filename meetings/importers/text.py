"""
Minutes as text: typed in Word (headed "40. APOLOGIES FOR ABSENCE", lines
wrapped as the page wrapped them) or captured from a ModernGov "agenda and
minutes" page (the number on a line of its own, the title below, "Minutes:"
before the minutes). See docs/importing-minutes.md for the shapes it reads.

The parser keeps the source's wording: it joins lines the page wrapped, splits
resolutions at "(1)", "(2)"..., and changes nothing else. What it cannot
place (the contact line of a web page, say) goes to `unplaced`.
"""

import datetime
import difflib
import re

from meetings.documents import TYPES
from meetings.models import REFERENCE

from . import (
    NextMeeting,
    ParsedAttendee,
    ParsedDeclaration,
    ParsedDocument,
    ParsedItem,
    ParsedMeeting,
    ParsedResolution,
    limits,
)

MONTH_NAMES = [datetime.date(2000, n, 1).strftime("%B") for n in range(1, 13)]
MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)}
MONTH = "|".join(MONTH_NAMES)
DATE = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH}),?\s+(?P<year>\d{{4}})", re.IGNORECASE
)
TIME = re.compile(r"\b(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m\b\.?", re.IGNORECASE)

TITLES = (
    r"(?:Councillors?|Cllrs?\.?|Chief\s+Superintendent|Superintendent|Supt\.?|Chief\s+Inspector|"
    r"Detective\s+Chief\s+Inspector|Inspector|Chief\s+Constable|Assistant\s+Chief\s+Constable|"
    r"Deputy\s+Chief\s+Constable|Sergeant|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Professor|Reverend|Rev\.?|CI)"
)
NAME_WORD = r"(?:[A-Z][A-Za-z'’\-]*[A-Za-z]|[A-Z]\.?)"
NAME = rf"(?:{TITLES}\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}"
PRESENTER_LINE = re.compile(rf"^{NAME}$")
# "Chris White presented a report", "Further to Minute No. 32 of ... Chris White updated".
PRESENTER_IN_TEXT = re.compile(
    rf"^(?:Further\s+to\s+Minutes?\s+No\.?\s*\d+\s+of\s+the\s+meeting\s+held\s+on\s+\S+\s+\S+,?\s+\d{{4}},?\s+)?"
    rf"(?P<name>{NAME})\s+(?:gave|delivered|presented|submitted|updated|reported|introduced|provided|"
    rf"outlined|led)\b"
)
PRESENTER_FROM = re.compile(
    rf"\breceived\s+an?\s+(?:verbal\s+|written\s+|detailed\s+)?(?:update|report|presentation)\s+from\s+"
    rf"(?P<name>{NAME})"
)
# The agenda's own words: "To receive a presentation from Sue Holden, Sefton
# CVS", "Report of the Head of Communities".
PRESENTER_IN_AGENDA = re.compile(
    rf"^To\s+(?:receive|consider|note|hear)\s+(?:an?|the)\s+(?:verbal\s+|written\s+|short\s+)?"
    rf"(?:presentation|report|update|briefing)\s+(?:from|of|by)\s+(?P<name>{NAME})"
    rf"|^(?:Joint\s+)?Report\s+of\s+(?P<officer>(?:the\s+)?[A-Z][^.,;:\n]{{2,80}}?)\s*(?:[.,;:]|$)",
)
NOT_A_NAME = re.compile(r"^(?:The|This|That|It|He|She|They|Members|Partnership|Board|Committee|Officers?)\b")
# Items of every meeting, whose text names people who are not presenting.
STANDING_ITEM = re.compile(
    r"apolog|declaration|minutes\s+of|any\s+other\s+business|urgent\s+business|next\s+meeting|"
    r"exclusion\s+of|chair'?s?\s+(?:welcome|announcements)|welcome\s+and\s+introductions",
    re.IGNORECASE,
)

# "46. DOMESTIC AND SEXUAL ABUSE", "Minute 12 - Apologies", "7 Budget monitoring"
INLINE_HEADING = re.compile(
    r"^\s*(?:Minutes?\s+(?:No\.?\s*)?)?(?P<number>\d{1,4})(?:\.|:|\))?\s+(?:[-–—]\s+)?(?P<title>[A-Z].*?)\s*$"
)
# ModernGov pages put the number on a line of its own: "28."
NUMBER_LINE = re.compile(r"^\s*(?P<number>\d{1,4})\.\s*$")
MG_DOCUMENT = re.compile(
    r"\s+(?:pdf|doc|docx|xls|xlsx|ppt|pptx)\s+icon\s+(?P<type>[A-Z]+)\s+(?P<size>\d+)\s*KB$"
)
DOCUMENT_LINE = re.compile(
    r"^(?P<title>.+?)\s*\((?P<type>PDF|Word|DOCX?|XLSX?|PPTX?),?\s*(?P<size>\d+)\s*KB\)$", re.IGNORECASE
)
NUMBERED = re.compile(r"^\(?(?P<n>\d{1,2}|[a-h]|[ivx]{1,4})\)\s*(?P<text>.*)$", re.DOTALL)
# "a. the report be noted", "1. That ...": numbered as Word's lists print
# them; read as numbered only after a resolution marker.
NUMBERED_STOP = re.compile(r"^(?P<n>\d{1,2}|[a-h]|[ivx]{1,4})\.\s+(?P<text>\S.*)$", re.DOTALL)
MARKER = re.compile(r"^(?P<word>[A-Za-z]+)(?P<punct>\s*[:;,.\-–—]+)?\s*(?P<rest>.*)$", re.DOTALL)
MARKER_WORDS = {"RESOLVED", "AGREED", "DECIDED", "DECISION", "RESOLUTION", "RESOLUTIONS"}
CHAIR = re.compile(r"\s*[(\[]\s*(?:in\s+the\s+)?chair(?:man|woman|person)?\s*[)\]]\s*|\s+[-–]\s+Chair$", re.I)
CHROME = {
    "agenda and minutes",
    "agenda and draft minutes",
    "agenda",
    "minutes",
    "items",
    "no. item",
    "agenda item",
}
ATTENDANCE_LABELS = [
    (
        re.compile(
            r"^ALSO\s+PRESENT\b|^Also\s+in\s+attendance\b|^In\s+attendance\b|^Officers(?:\s+present)?\b", re.I
        ),
        "also_present",
    ),
    (re.compile(r"^PRESENT\b|^Members\s+present\b", re.I), "present"),
    (re.compile(r"^APOLOGIES(?:\s+FOR\s+ABSENCE)?\b", re.I), "apologies"),
    (re.compile(r"^ABSENT\b", re.I), "absent"),
]
# Lines of a header that start a block of their own even with no blank line
# before them.
HEADER_LABEL = re.compile(
    r"^(?:Venue|Place|Location|Time|Start(?:ing)?\s+time|Date|Contact|Chair|Clerk|Democratic\s+Services)\s*:"
    r"|^(?:ALSO\s+PRESENT|Also\s+in\s+attendance|In\s+attendance|Officers(?:\s+present)?|PRESENT|"
    r"Members\s+present|APOLOGIES(?:\s+FOR\s+ABSENCE)?|ABSENT)\s*[:\-–]",
    re.IGNORECASE,
)
# What a web page prints beside a venue: its links and map.
VENUE_FURNITURE = re.compile(
    r"[\s.,;|-]*(?:View\s+directions(?:\s+to\s+this\s+venue)?|Directions|Map(?:\s+and\s+directions)?|"
    r"Show\s+on\s+map|\(opens\s+in\s+(?:a\s+)?new\s+window\))\s*\.?\s*$",
    re.IGNORECASE,
)
APOLOGIES = re.compile(
    r"apologies(?:\s+for\s+absence)?\s+(?:were|was|had\s+been)?\s*(?:submitted|received|given|tendered|"
    r"reported|noted)?\s*(?:from|on\s+behalf\s+of|by)\s*[,:]?\s*(?P<names>.+?)\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
DECLARED = re.compile(rf"^(?P<name>{NAME})\s+declared\b", re.DOTALL)
SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
}


def clean_lines(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\t", " ")
    # Word's symbol-font bullets arrive as private-use characters.
    text = re.sub(r"[\uf000-\uf0ff•▪●◦]", " ", text)
    return [line.rstrip() for line in text.split("\n")]


def is_marker(line):
    """ "RESOLVED:", "Resolved;", "RESOLVED – That", "RESLOVED: That" ..."""
    match = MARKER.match(line.strip())
    if not match:
        return None
    word = match["word"].upper()
    known = word in MARKER_WORDS or (
        word.startswith("RES")
        and 6 <= len(word) <= 10
        and difflib.SequenceMatcher(None, word, "RESOLVED").ratio() >= 0.75
    )
    if not known:
        return None
    rest = match["rest"]
    if not (match["punct"] or not rest or rest.lower().startswith("that") or match["word"].isupper()):
        return None
    return rest.strip()


def file_type(printed):
    """ "PDF", "DOCX", "Word" as the site names types ("PDF", "Word")."""
    extension = printed.lower()
    if extension == "word":
        extension = "docx"
    return TYPES.get(extension, (printed.upper(),))[0]


def parse_date(text):
    match = DATE.search(text)
    if not match:
        return None
    try:
        return datetime.date(int(match["year"]), MONTH_NUMBERS[match["month"].lower()], int(match["day"]))
    except ValueError:
        return None


def parse_time(text):
    match = TIME.search(text)
    if not match:
        return None
    hour = int(match["hour"]) % 12 + (12 if match["half"].lower() == "p" else 0)
    try:
        return datetime.time(hour, int(match["minute"] or 0))
    except ValueError:
        return None


def find_headings(lines):
    """The item headings: the longest run of candidates whose numbers go up
    by one, so that a number at the start of some other line is not taken
    for a heading."""
    candidates = []
    # After "RESOLVED:", "1. That ...", "2. That ..." are resolutions as Word
    # numbers them, not headings: the numbers that run on from 1 there.
    next_resolution = None
    for index, line in enumerate(lines):
        if index % 500 == 0:
            limits.check_time()
        if is_marker(line) is not None:
            next_resolution = 1
            continue
        numbered = NUMBERED_STOP.match(line.strip())
        if next_resolution and numbered and numbered["n"] == str(next_resolution):
            next_resolution += 1
            continue
        number = NUMBER_LINE.match(line)
        if number:
            following = next((j for j in range(index + 1, len(lines)) if lines[j].strip()), None)
            if following is not None and not NUMBER_LINE.match(lines[following]):
                candidates.append((index, int(number["number"]), following, "moderngov"))
            continue
        inline = INLINE_HEADING.match(line)
        if inline and not re.match(rf"^(?:{MONTH})\b", inline["title"], re.I) and len(inline["title"]) < 150:
            candidates.append((index, int(inline["number"]), index, "typed"))
    best = []
    # The best chain ending at each candidate, found among the chains that
    # end one number lower (so long minutes take linear, not square, time).
    ending_at = {}  # number -> [chain, ...] in the order of the candidates
    for candidate in candidates:
        chain = [candidate]
        for previous in ending_at.get(candidate[1] - 1, []):
            if previous[-1][2] < candidate[0] and len(previous) + 1 > len(chain):
                chain = previous + [candidate]
        ending_at.setdefault(candidate[1], []).append(chain)
        if len(chain) > len(best):
            best = chain
    return best


def wrap_width(lines):
    """The width the page wrapped lines at, or None when each paragraph is
    one line (a web page, or Word's own paragraphs)."""
    longest = max((len(line) for line in lines), default=0)
    return longest if 40 <= longest <= 100 else None


def was_wrapped(previous, line, width):
    if not width or previous.endswith(":"):
        return False
    first_word = line.split()[0] if line.split() else ""
    return len(previous) + 1 + len(first_word) > width * 0.8


def paragraphs(lines, width):
    """Lines into paragraphs (blank lines between), each a list of lines:
    lines the page wrapped joined again, a resolution marker or a numbered
    resolution starting a paragraph of its own, an indented line (a bullet,
    or text after a page break) a line of its own."""
    result = []
    current = []
    resolving = False
    for raw in lines:
        if not raw.strip():
            if current:
                result.append(current)
                current = []
            continue
        line = raw.strip()
        marker = is_marker(line) is not None
        resolving = resolving or marker
        if marker or NUMBERED.match(line) or (resolving and NUMBERED_STOP.match(line)):
            if current:
                result.append(current)
            current = [line]
            continue
        if current and not raw[0].isspace() and was_wrapped(current[-1], line, width):
            joiner = "" if re.search(r"\w-$", current[-1]) else " "
            current[-1] = current[-1] + joiner + line
        else:
            current.append(line)
    if current:
        result.append(current)
    # A date broken across a page: "on 26" ... "March 2020 at ..."
    merged = []
    for paragraph in result:
        if (
            merged
            and re.search(r"\b\d{1,2}$", merged[-1][-1])
            and re.match(rf"^(?:{MONTH})\b", paragraph[0])
            and not re.search(r"[.:;]$", merged[-1][-1])
        ):
            merged[-1][-1] = merged[-1][-1] + " " + paragraph[0]
            merged[-1].extend(paragraph[1:])
        else:
            merged.append(paragraph)
    return merged


def as_text(paras):
    return "\n\n".join("\n".join(lines) for lines in paras)


def split_resolutions(paras):
    """Resolution paragraphs (marker included) into numbered resolutions,
    each in the source's words. A bare "That" before (1), (2)... belongs to
    the marker, as in "RESOLVED: That (1) the report be noted"."""
    pieces = []
    for lines in paras:
        first = lines[0]
        rest = is_marker(first)
        if rest is not None:
            lines = ([rest] if rest else []) + lines[1:]
        if lines:
            pieces.append("\n".join(lines))
    texts = []
    numbered = [bool(NUMBERED.match(piece)) for piece in pieces]
    pending_that = ""
    if not any(numbered):
        numbered = [bool(NUMBERED_STOP.match(piece)) for piece in pieces]
        if sum(numbered) < 2:
            numbered = [False] * len(pieces)
    for index, piece in enumerate(pieces):
        match = (NUMBERED.match(piece) or NUMBERED_STOP.match(piece)) if numbered[index] else None
        if match:
            texts.append(match["text"].strip())
            pending_that = ""
        elif re.fullmatch(r"That:?", piece.strip(), re.IGNORECASE) and any(numbered[index + 1 :]):
            pending_that = piece  # dropped: the wording sits in each numbered resolution
        elif re.fullmatch(r"That:?", piece.strip(), re.IGNORECASE):
            pending_that = piece.strip().rstrip(":")
        elif pending_that:
            texts.append(f"{pending_that} {piece}")
            pending_that = ""
        elif not texts or re.match(r"^That\b", piece):
            texts.append(piece)
        else:
            texts[-1] = texts[-1] + "\n\n" + piece
    return [ParsedResolution(number, text) for number, text in enumerate(texts, start=1)]


def split_names(text, role):
    """ "Councillor Hardy (in the Chair) Councillors John Sayers and Shaw,
    Jenny Currie ..." into attendees. "Councillors A, B and C" gives each of
    A, B and C the title, up to the "and" that ends that list."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".").strip()
    if not text or re.match(r"^(?:none|nil|no\s)", text, re.I):
        return []
    if ";" in text:
        # Semicolons part the people; a comma inside a part is the person's
        # own ("Priya Nair, Community Safety Manager"), unless the part is a
        # list under a plural title ("Councillors A, B, and C").
        attendees = []
        for part in re.split(r"\s*;\s*", text):
            part = re.sub(r"^(?:and|&)\s+", "", part.strip())
            if not part:
                continue
            if re.match(r"^(?:Councillors|Cllrs\.?|Drs\.?)\s", part):
                attendees += split_names(part, role)
            else:
                name = CHAIR.sub(" ", part).strip(" ,")
                attendees.append(ParsedAttendee(name=name, role=role, is_chair=bool(CHAIR.search(part))))
        return attendees
    # "Councillor Hardy (in the Chair) Councillors ..." has no comma after the chair.
    text = CHAIR.sub(lambda m: " (Chair), ", text)
    # ", and" (the Oxford comma) and "; and" end a list as "and" does.
    tokens = re.split(r"(\s*[,;]\s*(?:(?:and|&)\s+)?|\s+and\s+|\s+&\s+)", text)
    attendees = []
    plural = None
    separator = ","
    for index in range(0, len(tokens), 2):
        raw = tokens[index].strip()
        if index > 0:
            separator = tokens[index - 1].strip() or ","
            separator = "and" if re.search(r"(?:and|&)$", separator) else separator
        if not raw:
            continue
        is_chair = False
        if raw.endswith("(Chair)"):
            is_chair = True
            raw = raw[: -len("(Chair)")].strip()
        if not raw:
            if attendees:
                attendees[-1].is_chair = True
            continue
        plural_match = re.match(r"^(Councillors|Cllrs\.?|Drs\.?)\s+(.*)$", raw)
        name = raw
        if plural_match:
            plural = {"C": "Councillor", "D": "Dr"}[plural_match[1][0]]
            plural = "Cllr" if plural_match[1].startswith("Cllrs") else plural
            name = f"{plural} {plural_match[2]}"
        elif plural and not re.match(rf"^{TITLES}\s", raw):
            name = f"{plural} {raw}"
            if separator in ("and", "&"):
                plural = None
        else:
            plural = None
        attendees.append(ParsedAttendee(name=name, role=role, is_chair=is_chair))
    return attendees


def only_names(text):
    """Whether a line of the header is nothing but a list of names."""
    attendees = split_names(text, "present")
    return bool(attendees) and all(
        re.fullmatch(rf"{NAME}(?:\s*\([^)]*\))?", attendee.name) and len(attendee.name.split()) <= 6
        for attendee in attendees
    )


def title_case(title, capitals):
    words = title.split()
    result = []
    for position, word in enumerate(words):
        bare = re.sub(r"[^\w]", "", word)
        # CCTV, PCC: a word without vowels is an abbreviation.
        if bare in capitals or any(ch.isdigit() for ch in word) or not re.search(r"[AEIOUY]", bare, re.I):
            result.append(word)
        elif position > 0 and word.lower() in SMALL_WORDS:
            result.append(word.lower())
        else:
            result.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(result)


def presenter_in(minutes, agenda_text):
    """Who presented, from the minutes' first sentence ("Chris White
    presented...") or else the agenda's ("To receive a presentation from
    Sue Holden, Sefton CVS", "Report of the Head of Communities")."""
    if minutes:
        first = " ".join(minutes[0])
        match = PRESENTER_IN_TEXT.match(first) or PRESENTER_FROM.search(first)
        if match and not NOT_A_NAME.match(match["name"]):
            return match["name"]
    for paragraph in agenda_text.split("\n\n"):
        match = PRESENTER_IN_AGENDA.match(re.sub(r"\s+", " ", paragraph.strip()))
        if match and match["name"] and not NOT_A_NAME.match(match["name"]):
            return match["name"]
        if match and match["officer"]:
            return re.sub(r"^the\s+", "", match["officer"].strip(), flags=re.I)
    return ""


def read_minutes(item, paras):
    """An item's minutes and resolutions from its paragraphs, and who
    presented it when the first sentence says so."""
    marker = next((i for i, lines in enumerate(paras) if is_marker(lines[0]) is not None), None)
    minutes = paras if marker is None else paras[:marker]
    item.minutes = as_text(minutes)
    if marker is not None:
        item.resolutions = split_resolutions(paras[marker:])
    if not item.presenter and not STANDING_ITEM.search(item.title):
        item.presenter = presenter_in(minutes, item.agenda_text)
    item.references = [match[0] for match in REFERENCE.finditer(f"{item.agenda_text}\n{item.minutes}")]


def read_standing_item(meeting, item):
    """What the standing items say of the meeting: apologies, declarations, the next meeting."""
    title = item.title.lower()
    if "apolog" in title:
        match = APOLOGIES.search(item.minutes)
        if match:
            meeting.attendees.extend(split_names(match["names"], "apologies"))
    elif "declaration" in title:
        for paragraph in item.minutes.split("\n\n"):
            match = DECLARED.match(paragraph.strip())
            if match:
                number = re.search(r"(?:Minute\s+No\.?|item)\s*(\d+)", paragraph, re.I)
                meeting.declarations.append(
                    ParsedDeclaration(
                        name=match["name"],
                        interest=paragraph.strip(),
                        minute_number=int(number[1]) if number else None,
                    )
                )
    elif "next meeting" in title:
        text = item.resolutions[-1].text if item.resolutions else item.minutes
        if text:
            meeting.next_meeting = NextMeeting(text=text, date=parse_date(text), start_time=parse_time(text))


class TextParser:
    """`page_wrapped`: None to find lines a page wrapped (a text file), False
    when the reader knows each line ends where the source ends it (Word's
    paragraphs, a web page, a PDF already joined)."""

    def __init__(self, text, page_wrapped=None):
        self.lines = clean_lines(limits.check_text(text))
        self.page_wrapped = page_wrapped
        self.meeting = ParsedMeeting()

    def parse(self):
        headings = find_headings(self.lines)
        first = headings[0][0] if headings else len(self.lines)
        self.width = wrap_width(self.lines) if self.page_wrapped is None else None
        self.parse_header(self.lines[:first])
        for position, (index, number, title_index, style) in enumerate(headings):
            limits.check_time()
            end = headings[position + 1][0] if position + 1 < len(headings) else len(self.lines)
            item, body = self.start_item(index, number, title_index, style, end)
            self.fill_item(item, body, style)
            self.meeting.items.append(item)
        for item in self.meeting.items:
            read_standing_item(self.meeting, item)
        return self.meeting

    def start_item(self, index, number, title_index, style, end):
        title_lines = []
        if style == "moderngov":
            title_lines = [self.lines[title_index].strip()]
            body = self.lines[title_index + 1 : end]
        else:
            title_lines = [INLINE_HEADING.match(self.lines[index])["title"]]
            body = self.lines[index + 1 : end]
            # A heading in capitals runs on to the next line while it stays in capitals.
            while body and body[0].strip() and body[0].strip().isupper() and title_lines[-1].isupper():
                if is_marker(body[0]) is not None:
                    break
                title_lines.append(body.pop(0).strip())
        title = " ".join(title_lines)
        item = ParsedItem(title=title, minute_number=number)
        document = MG_DOCUMENT.search(title)
        if document:
            item.title = title[: document.start()].strip()
            item.documents.append(
                ParsedDocument(
                    title=item.title, file_type=file_type(document["type"]), size_kb=int(document["size"])
                )
            )
        return item, body

    def fill_item(self, item, body, style):
        paras = paragraphs(body, self.width)
        kept = []
        for lines in paras:
            documents = [DOCUMENT_LINE.match(line) for line in lines]
            if all(documents):
                item.documents += [
                    ParsedDocument(
                        title=match["title"], file_type=file_type(match["type"]), size_kb=int(match["size"])
                    )
                    for match in documents
                ]
            else:
                kept.append(lines)
        paras = kept
        if style == "moderngov":
            # "Minutes:" starts the minutes wherever it stands, a paragraph
            # of its own or a line among others (a page pasted without blank lines).
            split = []
            for lines in paras:
                while "Minutes:" in (line.strip() for line in lines[1:]):
                    at = next(i for i, line in enumerate(lines) if i and line.strip() == "Minutes:")
                    split.append(lines[:at])
                    lines = lines[at:]
                if lines[0].strip() == "Minutes:" and len(lines) > 1:
                    split += [lines[:1], lines[1:]]
                else:
                    split.append(lines)
            paras = split
            label = next((i for i, lines in enumerate(paras) if lines[0].strip() == "Minutes:"), None)
            agenda = paras if label is None else paras[:label]
            paras = [] if label is None else paras[label + 1 :]
            if (
                agenda
                and len(agenda[0]) >= 1
                and PRESENTER_LINE.match(agenda[0][0])
                and len(agenda[0][0].split()) <= 6
            ):
                item.presenter = agenda[0][0]
                agenda = ([agenda[0][1:]] if agenda[0][1:] else []) + agenda[1:]
            item.agenda_text = as_text(agenda)
        read_minutes(item, paras)

    def parse_header(self, lines):
        meeting = self.meeting
        blocks = []
        current = []
        for line in lines:
            line = line.strip()
            # A label ("Venue:", "PRESENT:") starts a block even with no
            # blank line before it; a web page's headings are dropped.
            if line.lower() in CHROME or (current and HEADER_LABEL.match(line)):
                if current:
                    blocks.append(current)
                current = []
            if line.lower() in CHROME:
                continue
            if line:
                current.append(line)
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        # An attendance list runs over its lines until a blank line or the next
        # label, and on over the paragraphs after it that are only names.
        role = None
        for block in blocks:
            text = " ".join(block)
            label_role = next((role for label, role in ATTENDANCE_LABELS if label.match(text)), None)
            if label_role:
                role = label_role
                self.read_attendance(block, role)
                continue
            if role and only_names(text):
                meeting.attendees.extend(split_names(text, role))
                continue
            role = None
            venue = re.match(r"^(?:Venue|Place|Location)\s*:\s*(?P<venue>.+)$", text, re.I)
            if venue:
                meeting.venue = VENUE_FURNITURE.sub("", venue["venue"]).strip().rstrip(".").strip()
                continue
            time = re.match(r"^(?:Time|Start(?:ing)?\s+time)\s*:\s*(?P<time>.+)$", text, re.I)
            if time and parse_time(time["time"]) and not meeting.start_time:
                meeting.start_time = parse_time(time["time"])
                continue
            day = parse_date(text)
            # The date may come twice (a running head, then the minutes' own line).
            if day and meeting.date in (None, day):
                meeting.date = day
                meeting.start_time = meeting.start_time or parse_time(text)
                rest = TIME.sub(" ", DATE.sub(" ", text))
                held = re.search(r"\bheld\s+(?:at|in)\s+(?P<venue>.+?)\s*(?:\bon\b|$)", rest, re.I)
                if held:
                    venue_text = held["venue"].strip(" ,")
                    if venue_text.isupper():
                        venue_text = title_case(venue_text, set())
                    meeting.venue = re.sub(r"^the\s+", "", venue_text, flags=re.I)
                    rest = rest[: held.start()] + rest[held.end() :]
                rest = re.sub(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|[,:\s]+", " ", rest)
                # What is left of "Minutes of the meeting held on ... at ...".
                rest = re.sub(
                    r"\b(?:minutes|of|the|meeting|held|on|at|date)\b", " ", rest, flags=re.I
                ).strip()
                if not rest:
                    continue
                if not rest or meeting.committee == rest:
                    continue
                if not meeting.committee and not re.search(r"\d", rest):
                    meeting.committee = title_case(rest, set()) if rest.isupper() else rest
                    continue
                meeting.unplaced.append(text)
                continue
            if not meeting.committee and not meeting.date and not re.search(r"\d", text) and len(text) < 120:
                meeting.committee = title_case(text, set()) if text.isupper() else text
                continue
            meeting.unplaced.append("\n".join(block))

    def read_attendance(self, block, role):
        text = "\n".join(block)
        # "Present - Councillor A" as well as "Present: Councillor A".
        text = re.sub(r"^([A-Za-z ]+?)\s*[-–]\s+", r"\1: ", text, count=1) if ":" not in block[0] else text
        label, _, rest = text.partition(":")
        if not _:
            rest = ""
        body = rest.strip()
        if not body:
            return
        body_lines = [line for line in body.split("\n") if line.strip()]
        if len(body_lines) > 1 and not any("," in line or " and " in line for line in body_lines):
            for line in body_lines:
                self.meeting.attendees.extend(split_names(line, role))
        else:
            self.meeting.attendees.extend(split_names(" ".join(body_lines), role))


def parse_text(text, page_wrapped=None):
    with limits.deadline():
        return TextParser(text, page_wrapped).parse()
