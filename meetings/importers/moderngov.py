"""
ModernGov's public web service (mgWebService.asmx), for councils bringing
their archive: GetCommittees lists committees, GetMeetings a committee's
meetings between two dates, GetMeeting one meeting with its agenda items,
minutes (Word-generated HTML), restricted items, attendees and linked
documents. Element names follow ModernGov's documented responses; see
docs/importing-minutes.md.
"""

import datetime
import re
import urllib.parse
import urllib.request

import lxml.etree
import lxml.html

from meetings.documents import TYPES
from meetings.models import Meeting

from . import ParsedAttendee, ParsedDeclaration, ParsedDocument, ParsedItem, ParsedMeeting, limits
from .text import clean_lines, paragraphs, read_minutes, read_standing_item

# Never fetch entities or DTDs named in a response.
XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "td", "blockquote", "pre"}
LIST_ITEMS = {"li"}


class ModernGovError(ValueError):
    pass


def parse_xml(data):
    limits.check_markup(data, "ModernGov response")
    try:
        return lxml.etree.fromstring(data, XML_PARSER)
    except lxml.etree.XMLSyntaxError as error:
        raise ModernGovError(f"Not a ModernGov XML response: {error}") from error


def local(tag):
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def child_text(element, name):
    for child in element:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def flag(element, name):
    return child_text(element, name).lower() == "true"


def field(element, name):
    """An attendee's details come as attributes in some versions, elements in others."""
    for key, value in element.attrib.items():
        if key.lower() == name:
            return value.strip()
    return child_text(element, name)


def uk_date(text):
    try:
        return datetime.datetime.strptime(text.strip()[:10], "%d/%m/%Y").date()
    except ValueError:
        return None


def html_to_text(html):
    """Word's HTML as the site's plain paragraphs: styles, spans and Office
    tags go; each paragraph is a paragraph, list items lines of one."""
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if local(element.tag) in {"script", "style", "xml", "meta", "link"}:
            element.drop_tree()
    paragraphs_out = []
    list_lines = []

    def words(element):
        return re.sub(r"\s+", " ", element.text_content().replace("\xa0", " ")).strip()

    def flush_list():
        if list_lines:
            paragraphs_out.append("\n".join(list_lines))
            list_lines.clear()

    def walk(element):
        limits.check_time()
        for child in element:
            tag = local(child.tag)
            if tag in BLOCKS and not any(local(d.tag) in BLOCKS for d in child.iterdescendants()):
                text = words(child)
                if tag in LIST_ITEMS:
                    if text:
                        list_lines.append(text)
                    continue
                flush_list()
                if text:
                    paragraphs_out.append(text)
            elif tag:
                walk(child)

    walk(root)
    flush_list()
    if not paragraphs_out:
        return words(root)
    return "\n\n".join(paragraphs_out)


# ModernGov's attendance states, as its attendance screen records them.
# "Apologies, sent substitute" is apologies; "Present as substitute" present.
# "Expected" means attendance was never recorded: the member was due, and
# the source does not say whether they came, so it is not attendance.
EXPECTED = "expected"
ATTENDANCE = [
    (re.compile(r"apolog", re.I), "apologies"),
    (re.compile(r"absent", re.I), "absent"),
    (re.compile(r"^\s*expected\s*$|not\s+recorded", re.I), EXPECTED),
    (re.compile(r"in\s+attendance|also\s+present|officer", re.I), "also_present"),
    (re.compile(r"present|attended|substitute", re.I), "present"),
]


def attendee_of(element):
    """A ParsedAttendee, with role EXPECTED where ModernGov recorded no attendance."""
    name = field(element, "name")
    if not name:
        return None
    attendance = field(element, "attendance")
    member_type = field(element, "membertype")
    role = next((role for pattern, role in ATTENDANCE if pattern.search(attendance)), None)
    if role is None:
        role = "also_present" if re.search(r"officer", member_type, re.I) else "present"
    if role == "present" and re.search(r"officer|in\s+attendance", member_type, re.I):
        role = "also_present"
    description = field(element, "roledescription")
    is_chair = role == "present" and bool(re.fullmatch(r"\s*chair(?:man|person)?\s*", description, re.I))
    return ParsedAttendee(name=name, role=role, is_chair=is_chair)


DECLARATION_TAGS = {"declaration", "declarationofinterest", "memberdeclaration", "interestdeclaration"}


def declaration_of(element, minute_number):
    """A declaration element: who (membername or name), what (the interest's
    text, or its kind and details), and the item it was made on."""
    name = field(element, "membername") or field(element, "name")
    kind = field(element, "interesttype") or field(element, "type")
    words = next(
        (
            field(element, key)
            for key in ("declarationtext", "interest", "details", "description", "nature", "reason")
            if field(element, key)
        ),
        "",
    )
    if not (name and (words or kind)):
        return None
    interest = f"{name} declared a {kind.lower()} interest: {words}" if kind and words else (words or kind)
    number = field(element, "minutesitemnumber")
    return ParsedDeclaration(
        name=name, interest=interest, minute_number=int(number) if number.isdigit() else minute_number
    )


def document_of(element):
    title = child_text(element, "title")
    url = child_text(element, "url")
    if not (title or url):
        return None
    extension = urllib.parse.urlparse(url).path.rsplit(".", 1)[-1].lower() if "." in url else ""

    return ParsedDocument(
        title=title or url.rsplit("/", 1)[-1],
        file_type=TYPES.get(extension, ("",))[0],
        url=url,
        published_on=uk_date(child_text(element, "publicationdate")),
    )


AGENDA_TEXT = ("agendatext", "agendaitemtext", "agendanonemptyhtmlbody", "agendahtmlbody")


def item_of(element):
    title = re.sub(r"\s+", " ", child_text(element, "agendaitemtitle"))
    number = child_text(element, "minutesitemnumber")
    item = ParsedItem(title=title, minute_number=int(number) if number.isdigit() and int(number) else None)
    # The agenda's words for the item (HTML in some versions, text in others).
    agenda = next(
        (child_text(element, key) for key in AGENDA_TEXT if child_text(element, key)),
        "",
    )
    item.agenda_text = html_to_text(agenda) if "<" in agenda else re.sub(r"[ \t]+", " ", agenda).strip()
    html = child_text(element, "minutesnonemptyhtmlbody") or child_text(element, "minuteshtmlbody")
    text = html_to_text(html)
    if text:
        read_minutes(item, paragraphs(clean_lines(text), None))
    if flag(element, "isrestricted"):
        item.is_exempt = True
        reason = next(
            (
                (child.text or "").strip()
                for child in element
                if re.search(r"restrict|exempt", local(child.tag)) and local(child.tag) != "isrestricted"
            ),
            "",
        )
        paragraph = re.search(r"paragraph\s+(\d)\b", reason, re.I)
        item.exempt_paragraph = int(paragraph[1]) if paragraph else None
        item.exempt_reason = reason or "Exempt information"
    for linked in element.iter():
        if local(linked.tag) == "linkeddoc":
            document = document_of(linked)
            if document:
                item.documents.append(document)
    return item


def parse_getmeeting(data):
    """One GetMeeting response (bytes) as a ParsedMeeting."""
    with limits.deadline():
        return read_getmeeting(data)


def read_getmeeting(data):
    root = parse_xml(data)
    meeting_element = (
        root
        if local(root.tag) == "meeting"
        else next((e for e in root.iter() if local(e.tag) == "meeting"), None)
    )
    if meeting_element is None:
        raise ModernGovError("The response holds no meeting.")
    parsed = ParsedMeeting(
        committee=child_text(meeting_element, "committeetitle"),
        date=uk_date(child_text(meeting_element, "meetingdate")),
        venue=child_text(meeting_element, "meetinglocation"),
        agenda_published=flag(meeting_element, "agendapublished"),
        minutes_published=flag(meeting_element, "minutepublished"),
    )
    if parsed.date is None:
        raise ModernGovError("The meeting has no date (meetingdate, dd/mm/yyyy).")
    time = re.match(r"^(\d{1,2})[:.](\d{2})", child_text(meeting_element, "meetingtime"))
    if time:
        parsed.start_time = datetime.time(int(time[1]), int(time[2]))
    status = child_text(meeting_element, "meetingstatus").lower()
    if "cancel" in status:
        parsed.status = Meeting.Status.CANCELLED
    elif "postpone" in status:
        parsed.status = Meeting.Status.POSTPONED
    minute_number = None
    declared = []
    for element in meeting_element.iter():
        limits.check_time()
        tag = local(element.tag)
        if tag == "attendee":
            attendee = attendee_of(element)
            if attendee and attendee.role == EXPECTED:
                parsed.unplaced.append(
                    f"{attendee.name}: ModernGov has no attendance recorded (\u201cExpected\u201d)."
                )
            elif attendee:
                parsed.attendees.append(attendee)
        elif tag == "agendaitem":
            item = item_of(element)
            minute_number = item.minute_number
            if item.title and child_text(element, "isdisplayallowed").lower() != "false":
                parsed.items.append(item)
            elif item.title:
                parsed.unplaced.append(f"Item not for display: {item.title}")
        elif tag in DECLARATION_TAGS:
            declaration = declaration_of(element, minute_number if element_in_item(element) else None)
            if declaration:
                declared.append(declaration)
    # The standing items' minutes say what the elements may not: the next
    # meeting, declarations, and apologies where no attendee is listed.
    listed = len(parsed.attendees)
    for item in parsed.items:
        read_standing_item(parsed, item)
    if listed:
        del parsed.attendees[listed:]
    if declared:
        parsed.declarations = declared
    return parsed


def element_in_item(element):
    return any(local(ancestor.tag) == "agendaitem" for ancestor in element.iterancestors())


class WebService:
    """The service at a council's base address, read over HTTP."""

    def __init__(self, base_url, timeout=30):
        self.base_url = base_url.rstrip("/")
        if not self.base_url.lower().endswith("mgwebservice.asmx"):
            self.base_url += "/mgWebService.asmx"
        self.timeout = timeout

    def get(self, operation, **parameters):
        url = f"{self.base_url}/{operation}?{urllib.parse.urlencode(parameters)}"
        if not url.lower().startswith(("http://", "https://")):
            raise ModernGovError(f"Not a web address: {url}")
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310 (only http(s), checked above)
                return response.read()
        except OSError as error:
            raise ModernGovError(f"Could not fetch {url}: {error}") from error

    def committees(self):
        root = parse_xml(self.get("GetCommittees"))
        return [
            (child_text(element, "committeeid"), child_text(element, "committeetitle"))
            for element in root.iter()
            if local(element.tag) == "committee"
        ]

    def meeting_ids(self, committee_id, since, until):
        root = parse_xml(
            self.get(
                "GetMeetings",
                lCommitteeId=committee_id,
                sFromDate=since.strftime("%d/%m/%Y"),
                sToDate=until.strftime("%d/%m/%Y"),
            )
        )
        return [
            child_text(element, "meetingid")
            for element in root.iter()
            if local(element.tag) == "meeting" and child_text(element, "meetingid")
        ]

    def meeting(self, meeting_id):
        return self.get("GetMeeting", lMeetingId=meeting_id)
