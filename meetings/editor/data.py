"""
A meeting as the minutes editor holds it: plain data, with no database
behind it, so that the editor's form can be filled from anything that
produces it (a meeting already saved, the partnership's standing items, or
an importer's parsed draft of Word minutes or a ModernGov archive) and so
that what the clerk typed can be kept, rearranged and shown again.

An importer builds an EditorMeeting and hands it to
`meetings.editor.editor_view(..., draft=meeting)`; nothing is saved until the
clerk presses "Save" on the editor's screen.

Every field is optional text or number as typed: the editor's forms validate
it, never this module.
"""

import datetime
from dataclasses import dataclass, field


@dataclass
class EditorItem:
    title: str = ""
    minute_number: int | None = None
    # The name as the minutes print it; `presenter_id` links a Person.
    presenter_name: str = ""
    presenter_id: int | None = None
    agenda_text: str = ""
    minutes: str = ""
    # One string a resolution, in order, without "(1)": the site numbers them.
    resolutions: list[str] = field(default_factory=list)
    is_exempt: bool = False
    exempt_paragraph: int | None = None
    exempt_reason: str = ""
    # The AgendaItem it edits; None for a new item.
    id: int | None = None


@dataclass
class EditorAttendee:
    """Someone at (or sending apologies to) the meeting. `person_id` links a
    Person (the tick list of members sets it); `name` is as the minutes
    print it. `role` is one of Attendance.Role: "present", "also_present",
    "apologies", "absent"."""

    name: str = ""
    person_id: int | None = None
    role: str = "present"
    is_chair: bool = False
    # The Attendance row it edits; None for a new one.
    id: int | None = None


@dataclass
class EditorDeclaration:
    name: str = ""
    person_id: int | None = None
    # The minute number of the item it was declared on, if any.
    minute_number: int | None = None
    interest: str = ""
    # The Declaration it edits; None for a new one.
    id: int | None = None


@dataclass
class EditorMeeting:
    partnership_id: int | None = None
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    venue: str = ""
    items: list[EditorItem] = field(default_factory=list)
    attendance: list[EditorAttendee] = field(default_factory=list)
    declarations: list[EditorDeclaration] = field(default_factory=list)
    next_meeting_date: datetime.date | None = None
    # Entered from the archive (the clerk's backlog): published as it was,
    # without alerts or feed news. None: as the meeting's date proposes
    # (meetings.models.is_backlog).
    archive: bool | None = None
    # What an importer could not place, shown to the clerk, never dropped.
    unplaced: list[str] = field(default_factory=list)
