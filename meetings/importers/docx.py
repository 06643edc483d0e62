"""
Minutes typed in Word (.docx), read by their structure with python-docx.

python-docx rather than mammoth: mammoth turns a document into HTML and
drops what Word's numbering prints (an <ol> does not say whether its items
are "(1)", "1." or "a."), while resolutions are told apart by exactly that.
python-docx gives the paragraphs, their styles and numbering properties, the
runs (bold) and the tables in document order, and the numbering definitions,
from which each list item's label is written as Word prints it.

What becomes text for the parser (text.py):

- A paragraph is a paragraph: when the document has no blank paragraphs (the
  clerk spaced paragraphs with Word's styles, or pasted a page one paragraph
  a line), a blank line is put between paragraphs. When the clerk left blank
  paragraphs between them, those are the breaks and each Word paragraph is a
  line, as in a text file (lines wrapped by a page are then joined as text's
  are).
- A soft line break (Shift+Enter) is a line break inside the paragraph.
- Headings (Word's "Heading n" and "Title" styles) are paragraphs of their own.
- List items: a bulleted list is one paragraph of lines; a numbered list item
  starts with the label Word prints for it ("(1)", "a.", "ii)") worked out
  from the numbering definitions, so numbered resolutions split as typed ones do.
- A bold "Resolved" or "Agreed" at the start of a paragraph is a resolution
  marker even without a colon.
- Tables row by row; a row whose first cell is an attendance label
  ("Present", "Apologies", "In attendance") reads as "Present: names".
"""

import re

import docx
from docx.oxml.ns import qn

from . import limits
from .text import MARKER_WORDS, parse_text, wrap_width

HEADING_STYLE = re.compile(r"^(?:Heading\s*\d|Title|Subtitle)$", re.IGNORECASE)
LABEL_CELL = re.compile(
    r"^(?:Present|Members\s+present|Also\s+present|In\s+attendance|Officers(?:\s+present)?|"
    r"Apologies(?:\s+for\s+absence)?|Absent)\s*:?$",
    re.IGNORECASE,
)
# Blank paragraphs are the clerk's paragraph breaks when there are this many
# of them for each paragraph with words.
BLANK_SHARE = 0.15


def roman(number):
    values = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    values += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, letters in values:
        while number >= value:
            result += letters
            number -= value
    return result


def letters(number):
    result = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        result = chr(ord("a") + rest) + result
    return result


def formatted(number, number_format):
    if number_format in ("lowerLetter", "upperLetter"):
        text = letters(number)
        return text.upper() if number_format == "upperLetter" else text
    if number_format in ("lowerRoman", "upperRoman"):
        text = roman(number)
        return text.upper() if number_format == "upperRoman" else text
    if number_format in ("bullet", "none"):
        return ""
    return str(number)


def attribute(element, name):
    return element.get(qn(name)) if element is not None else None


class Numbering:
    """The label Word prints before each numbered paragraph, counted as Word
    counts: per list, each level restarting under a higher one."""

    def __init__(self, document):
        self.levels = {}  # numId -> {ilvl: (start, numFmt, lvlText)}
        self.counters = {}  # numId -> {ilvl: current}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is None:
            return
        abstract = {}
        for definition in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in definition.findall(qn("w:lvl")):
                start = attribute(level.find(qn("w:start")), "w:val")
                levels[int(attribute(level, "w:ilvl") or 0)] = (
                    int(start) if start and start.isdigit() else 1,
                    attribute(level.find(qn("w:numFmt")), "w:val") or "decimal",
                    attribute(level.find(qn("w:lvlText")), "w:val") or "",
                )
            abstract[attribute(definition, "w:abstractNumId")] = levels
        for number in root.findall(qn("w:num")):
            levels = dict(abstract.get(attribute(number.find(qn("w:abstractNumId")), "w:val"), {}))
            for override in number.findall(qn("w:lvlOverride")):
                ilvl = int(attribute(override, "w:ilvl") or 0)
                start = attribute(override.find(qn("w:startOverride")), "w:val")
                if start and start.isdigit() and ilvl in levels:
                    levels[ilvl] = (int(start),) + levels[ilvl][1:]
            self.levels[attribute(number, "w:numId")] = levels

    @staticmethod
    def properties(paragraph):
        """(numId, ilvl) of the paragraph, from itself or its style's chain."""
        element = paragraph._p.pPr
        num_pr = element.numPr if element is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_pr = style.element.pPr
            num_pr = style_pr.numPr if style_pr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return (num_id, ilvl) if num_id != "0" else None

    def label(self, paragraph):
        """("(1)", is_numbered) for a list paragraph, ("", False) for a bullet,
        None outside lists."""
        found = self.properties(paragraph)
        if found is None:
            return None
        num_id, ilvl = found
        levels = self.levels.get(num_id, {})
        if ilvl not in levels:
            return ("", False)
        counters = self.counters.setdefault(num_id, {})
        start, number_format, text = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        if number_format in ("bullet", "none"):
            return ("", False)

        def level_value(match):
            level = int(match[1]) - 1
            if level not in levels:
                return ""
            value = counters.get(level, levels[level][0])
            return formatted(value, levels[level][1])

        return (re.sub(r"%(\d)", level_value, text).strip(), True)


def paragraph_text(paragraph):
    """The paragraph's words, a soft break a line break, with a bold
    resolution marker made one the parser knows."""
    text = paragraph.text.replace("\t", " ")
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and runs[0].bold:
        word = runs[0].text.strip()
        bare = word.rstrip(":;.,-–— ")
        if bare.upper() in MARKER_WORDS and bare == word:
            text = re.sub(rf"^(\s*){re.escape(bare)}(?!\s*[:;,.\-–—])", rf"\g<1>{bare}:", text, count=1)
    return text


def blocks_of(document):
    """The body as (kind, text) in order: kind "blank", "paragraph",
    "heading", "bullet", "numbered", "row", "label-row" or "table-end"."""
    numbering = Numbering(document)
    body = document.element.body
    for element in body.iterchildren():
        limits.check_time()
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(element, document)
            text = paragraph_text(paragraph)
            if not text.strip():
                yield ("blank", "")
                continue
            label = numbering.label(paragraph)
            style = paragraph.style.name if paragraph.style is not None else ""
            if label and label[1]:
                text = f"{label[0]} {text.strip()}" if label[0] else text
            if HEADING_STYLE.match(style or ""):
                yield ("heading", text)
            elif label is None:
                yield ("paragraph", text)
            else:
                yield ("numbered" if label[1] else "bullet", text)
        elif tag == "tbl":
            table = docx.table.Table(element, document)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    words = "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if words and (not cells or cells[-1] != words):  # merged cells repeat
                        cells.append(words)
                if not cells:
                    continue
                if len(cells) >= 2 and LABEL_CELL.match(cells[0].split("\n")[0]):
                    names = ", ".join(
                        name.strip() for cell in cells[1:] for name in cell.split("\n") if name.strip()
                    )
                    yield ("label-row", f"{cells[0].rstrip(':').strip()}: {names}")
                else:
                    yield ("row", ", ".join(cell.replace("\n", " ") for cell in cells))
            yield ("table-end", "")


def page_lines(blocks):
    """Whether the paragraphs are the lines of a page pasted one a paragraph
    (no blank ones): short, and often running on into one that starts in
    lower case."""
    texts = [text for kind, text in blocks if kind == "paragraph"]
    if len(texts) < 5 or wrap_width(texts) is None:
        return False
    run_on = sum(
        1
        for before, after in zip(texts, texts[1:], strict=False)
        if after[:1].islower() and before[-1:] not in ".:;"
    )
    return run_on >= 0.1 * len(texts)


def docx_text(source):
    """The text of a .docx file (a path or a file object) as the text parser
    reads it; see the module's description."""
    return read_docx(source)[0]


def read_docx(source):
    """(text, page_wrapped): page_wrapped is None when each Word paragraph is
    a line (the clerk's blank paragraphs are the breaks, or the paragraphs are
    the lines of a page: the parser then joins the lines a page wrapped, as in
    a text file), False when each is a paragraph (nothing to join)."""
    with limits.deadline():
        limits.open_package(source)
        if hasattr(source, "seek"):
            source.seek(0)
        document = docx.Document(source)
        blocks = list(blocks_of(document))
    words = [kind for kind, _ in blocks if kind not in ("blank", "table-end")]
    blanks = sum(1 for kind, _ in blocks if kind == "blank")
    if (words and blanks >= BLANK_SHARE * len(words)) or page_lines(blocks):
        # The clerk's blank paragraphs are the breaks: each paragraph a line.
        lines = ["" if kind == "table-end" else text for kind, text in blocks]
        return limits.check_text("\n".join(lines)), None
    out = []
    previous = None
    for kind, text in blocks:
        if kind in ("blank", "table-end"):
            previous = None
            continue
        # Bullets and the rows of a table are lines of one paragraph.
        same_paragraph = kind == previous and kind in ("bullet", "row")
        if out and not same_paragraph:
            out.append("")
        out.append(text)
        previous = kind
    return limits.check_text("\n".join(out)), False


def parse_docx(source):
    text, page_wrapped = read_docx(source)
    return parse_text(text, page_wrapped=page_wrapped)
