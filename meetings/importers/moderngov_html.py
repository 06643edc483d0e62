"""
A ModernGov "agenda and minutes" page (ieListDocuments.aspx) saved from a
browser as HTML, as clerks leaving ModernGov hold years of them.

The page is read as its text is (text.py reads a ModernGov page's text:
the item number in its cell, the title, the agenda's words, "Minutes:", the
minutes), each block of the page a paragraph, list items lines of one, a
<br> a line break; then the document links are put back: a paper named on
the item's title line ("PREVENT pdf icon PDF 384 KB") or listed under the
item takes the address of its link, and the meeting's own papers (agenda
frontsheet, printed minutes) are the meeting's documents. Links are made
absolute against the address the page was saved from (the browser's
"saved from url" comment, <base href> or the canonical link); without one a
paper is listed with no address. Navigation, scripts and the page's
"View directions" links are dropped.
"""

import re
import urllib.parse

import lxml.html

from meetings.documents import TYPES

from . import ParsedDocument, limits
from .text import file_type, parse_text

BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "td",
    "th",
    "caption",
    "blockquote",
    "pre",
    "dd",
}
DROPPED = {"script", "style", "noscript", "nav", "header", "footer", "form", "button", "select", "iframe"}
DOCUMENT_SIZE = re.compile(r"\s*(?P<type>[A-Z]{2,4})\s+(?P<size>\d+)\s*KB\s*$")
SAVED_FROM = re.compile(r"saved from url=\(\d+\)(?P<url>\S+)", re.IGNORECASE)
FURNITURE_LINK = re.compile(r"^\s*(?:View\s+directions|Directions|Map|Show\s+on\s+map)\s*$", re.IGNORECASE)


class PageError(ValueError):
    pass


def base_url_of(html, root):
    saved = SAVED_FROM.search(html[:2000])
    if saved:
        return saved["url"].strip(" -")
    for element in root.iter("base"):
        if element.get("href"):
            return element.get("href")
    for element in root.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            return element.get("href")
    return ""


def link_document(anchor, base):
    """A document link as (title, ParsedDocument), None if not a paper."""
    href = (anchor.get("href") or "").strip()
    path = urllib.parse.urlparse(href).path.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    words = re.sub(r"\s+", " ", anchor.text_content()).strip()
    size = DOCUMENT_SIZE.search(words)
    if extension not in TYPES and not size:
        return None
    title = words[: size.start()].strip() if size else words
    title = re.sub(r"\s+\w+\s+icon$", "", title)
    url = urllib.parse.urljoin(base, href) if base else href
    if not url.lower().startswith(("http://", "https://")):
        url = ""
    return ParsedDocument(
        title=title,
        file_type=file_type(size["type"]) if size else TYPES[extension][0],
        size_kb=int(size["size"]) if size else None,
        url=url,
    )


def page_blocks(root):
    """The page's text blocks in order: [(text, is_list_item)]."""
    out = []

    def words(element):
        text = element.text_content().replace("\xa0", " ")
        lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
        return "\n".join(line for line in lines if line)

    def walk(element):
        limits.check_time()
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag:
                continue
            if tag in BLOCKS and not any(
                isinstance(d.tag, str) and d.tag in BLOCKS for d in child.iterdescendants()
            ):
                text = words(child)
                if text:
                    out.append((text, tag == "li"))
            else:
                walk(child)

    walk(root)
    return out


def page_text(html):
    """(text, {minute number: [ParsedDocument]}, [meeting documents])."""
    limits.check_markup(html, "saved page")
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    try:
        document = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise PageError("This is not a web page that can be read; paste its text instead.") from error
    base = base_url_of(html, document)
    root = document.get_element_by_id("modgov", None)
    if root is None:
        root = next(iter(document.find_class("mgContent")), None)
    if root is None:
        root = document.body if document.find("body") is not None else document
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.tag in DROPPED:
            element.drop_tree()
    # The items table's own header row ("No.", "Item").
    for row in list(root.iter("tr")):
        cells = [cell for cell in row if isinstance(cell.tag, str)]
        if cells and all(cell.tag == "th" for cell in cells):
            row.drop_tree()
    for anchor in list(root.iter("a")):
        if FURNITURE_LINK.match(anchor.text_content()):
            anchor.drop_tree()
    # The icon's words are part of the printed line: "PREVENT pdf icon PDF 384 KB".
    for image in list(root.iter("img")):
        alt = image.get("alt") or ""
        image.tail = f" {alt} {image.tail or ''}" if alt else image.tail
        image.drop_tree()
    for br in list(root.iter("br")):
        br.tail = "\n" + (br.tail or "")
        br.drop_tree()

    by_item = {}
    meeting_documents = []
    for row in root.iter("tr"):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        number = re.match(r"^\s*(\d{1,4})\.?\s*$", cells[0].text_content()) if cells else None
        if not number:
            continue
        for anchor in row.iter("a"):
            document = link_document(anchor, base)
            if document:
                by_item.setdefault(int(number[1]), []).append(document)
    table = next(iter(root.find_class("mgItemTable")), None)
    for anchor in list(root.iter("a")):
        inside = table is not None and any(ancestor is table for ancestor in anchor.iterancestors())
        if inside or any(ancestor.tag == "tr" for ancestor in anchor.iterancestors()):
            continue
        document = link_document(anchor, base)
        if document:
            meeting_documents.append(document)
            # The meeting's own papers are listed apart, not as header text.
            parent = anchor.getparent()
            anchor.drop_tree()
            if parent is not None and parent.tag == "li" and not parent.text_content().strip():
                parent.drop_tree()

    lines = []
    previous_list = False
    for text, is_list_item in page_blocks(root):
        if lines and not (is_list_item and previous_list):
            lines.append("")
        lines.append(text)
        previous_list = is_list_item
    return "\n".join(lines), by_item, meeting_documents


def parse_moderngov_page(html):
    with limits.deadline():
        text, by_item, meeting_documents = page_text(html)
        parsed = parse_text(text, page_wrapped=False)
    parsed.documents.extend(meeting_documents)
    for item in parsed.items:
        for linked in by_item.get(item.minute_number, []):
            printed = next((d for d in item.documents if d.title == linked.title), None)
            if printed is None and linked.title.startswith(item.title) and len(item.documents) == 1:
                printed = item.documents[0]
            if printed is not None:
                printed.url = printed.url or linked.url
            else:
                item.documents.append(linked)
    return parsed
