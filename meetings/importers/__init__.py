"""
Importing meetings from elsewhere: minutes typed in Word or captured from a
ModernGov page (`text.py`, `docx.py`), and ModernGov's XML web service
(`moderngov.py`). Each parser returns a ParsedMeeting, a plain description
of what the source says; `save.py` writes one into the models.

Nothing the parser cannot place is dropped: it goes to `unplaced`, for the
clerk to read before saving.
"""

import dataclasses
import datetime


@dataclasses.dataclass
class ParsedDocument:
    title: str
    file_type: str = ""
    size_kb: int | None = None
    url: str = ""
    published_on: datetime.date | None = None


@dataclasses.dataclass
class ParsedResolution:
    number: int
    text: str


@dataclasses.dataclass
class ParsedItem:
    title: str
    minute_number: int | None = None
    presenter: str = ""
    agenda_text: str = ""
    minutes: str = ""
    resolutions: list[ParsedResolution] = dataclasses.field(default_factory=list)
    documents: list[ParsedDocument] = dataclasses.field(default_factory=list)
    # The words of each "Further to Minute No. 32 of the meeting held on ..."
    references: list[str] = dataclasses.field(default_factory=list)
    is_exempt: bool = False
    exempt_paragraph: int | None = None
    exempt_reason: str = ""


@dataclasses.dataclass
class ParsedAttendee:
    name: str
    role: str = "present"  # a Attendance.Role value
    is_chair: bool = False


@dataclasses.dataclass
class ParsedDeclaration:
    name: str
    interest: str
    minute_number: int | None = None


@dataclasses.dataclass
class NextMeeting:
    text: str
    date: datetime.date | None = None
    start_time: datetime.time | None = None


@dataclasses.dataclass
class ParsedMeeting:
    committee: str = ""
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    venue: str = ""
    items: list[ParsedItem] = dataclasses.field(default_factory=list)
    attendees: list[ParsedAttendee] = dataclasses.field(default_factory=list)
    declarations: list[ParsedDeclaration] = dataclasses.field(default_factory=list)
    documents: list[ParsedDocument] = dataclasses.field(default_factory=list)
    next_meeting: NextMeeting | None = None
    # ModernGov only: whether the source had published the agenda and minutes.
    agenda_published: bool | None = None
    minutes_published: bool | None = None
    status: str = ""  # a Meeting.Status value, when the source says
    source_url: str = ""
    unplaced: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self):
        return dataclasses.asdict(self)
