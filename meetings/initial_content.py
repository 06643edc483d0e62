"""
The meetings the old pages published, word for word (seeds 000 to 004 of the
pages this site replaces): the Sefton Safer Communities Partnership's
meetings of 5 December 2019 and 12 March 2020 in full, and what the old pages
say of the Safer Merseyside Partnership's meetings. Nothing is invented:
where the old pages list a document but not its file, the page says it is not
available online; where they list minutes without their text, likewise.

Names, titles and resolutions are as printed: the minutes of 12 March 2020
set item titles in capitals, and "Steve", "Stephen" and "Steven Martlew" stay
three spellings. Attendance and presenters keep the name as printed, linked
to a person only where printed exactly as that person's name; a clerk links
the other spellings in the admin if they are the same person.

`load_initial_content` runs each bundle in BUNDLES once.
"""

import datetime

from partnerships.models import Partnership, Person
from publishing import operations

from .models import Action, AgendaItem, Attendance, Document, Meeting, Resolution


def transition(meeting, name, *args, archive=False):
    """The seed meetings are the site's first content, not a backlog: its
    feeds and calendars start with the minutes the old pages listed."""
    return operations.transition(meeting, name, *args, archive=archive)


SEFTON = "sefton-safer-communities-partnership"
SMP = "safer-merseyside-partnership"

# key -> (title, name)
PEOPLE = {
    "hardy": ("Councillor", "T. Hardy"),
    "sayers": ("Councillor", "John Sayers"),
    "shaw": ("Councillor", "Shaw"),
    "maher": ("Councillor", "Maher"),
    "currie": ("", "Jenny Currie"),
    "frackleton": ("", "Neil Frackleton"),
    "gay": ("", "Martin Gay"),
    "holden": ("", "Sue Holden"),
    "omalley": ("Superintendent", "Mike O'Malley"),
    "rooney": ("", "Karen Rooney"),
    "armitage": ("", "Helen Armitage"),
    "wilcock": ("", "Tanya Wilcock"),
    "millward": ("", "Christopher Millward"),
    "white": ("", "Chris White"),
    "stanley": ("", "Rosanna Stanley"),
    "simmons": ("", "Sue Simmons"),
    "hunter": ("", "David Hunter"),
    "harland": ("", "Tony Harland"),
    "robson": ("Superintendent", "Graham Robson"),
    "martlew": ("", "Steve Martlew"),
    "horn": ("", "Nicky Horn"),
    "wiggins": ("", "Mark Wiggins"),
    "moscrop": ("Chief Inspector", "Matthew Moscrop"),
}

DECLARATIONS_AGENDA = (
    "Members are requested at a meeting where a disclosable pecuniary interest or personal interest arises, "
    "which is not already included in their Register of Members' Interests, todeclare any interests that "
    "relate to an item on the agenda.\n\n"
    "Where a Member discloses a Disclosable Pecuniary Interest, he/she must withdraw from the meeting room, "
    "including from the public gallery, during the whole consideration of any item of business in which "
    "he/she has an interest, except where he/she is permitted to remain as a result of a grant of a "
    "dispensation.\n\n"
    "Where a Member discloses a personal interest he/she must seek advice from the Monitoring Officer or "
    "staff member representing the Monitoring Officer to determine whether the Member should withdraw from "
    "the meeting room, including from the public gallery, during the whole consideration of any item of "
    "business in which he/she has an interest or whether the Member can remain in the meeting or remain in "
    "the meeting and vote on the relevant decision."
)
NO_DECLARATIONS = (
    "No declarations of any disclosable pecuniary interests or personal interests were received."
)

# (minute number, title, the person presenting where the printed name is
#  theirs, presenter as printed, agenda text, minutes, [resolutions],
#  [(document title, size in KB)])
DECEMBER_2019 = [
    (
        28,
        "Apologies for Absence",
        None,
        "",
        "",
        "Apologies for absence were submitted from Councillor T. Hardy and Karen Rooney.",
        [],
        [],
    ),
    (29, "Declarations of Interest", None, "", DECLARATIONS_AGENDA, NO_DECLARATIONS, [], []),
    (
        30,
        "Minutes of Previous Meeting",
        None,
        "",
        "Minutes of the meeting held on 12 September 2019",
        "The Partnership considered the Minutes of the meeting held on 12 September, 2019.\n\n"
        "With reference to Minutes No. 20 it was reported that the Serious and Organised Crime Conference, "
        "Task and Finish group had taken place and that the conference also took place on 4th December. A "
        "further report would be submitted on the outcome and next steps following the conference to the "
        "next meeting.\n\n"
        "With reference to Minute No. 24, Chris White gave an update on the progress on the initiative\u2019s "
        "delivery being joined up with wider Locality colleagues.",
        ["That the Minutes of the meeting held on 12 September, 2019 be confirmed as a correct record."],
        [("Minutes of Previous Meeting", 76)],
    ),
    (
        31,
        "Merseyside Violence Reduction Unit (VRU)",
        "wiggins",
        "Mark Wiggins",
        "",
        "Mark Wiggins delivered a presentation on the Merseyside Violence Reduction Unit.\n\n"
        "The presentation gave details of:\n\n"
        "Statistics and trends in Violent Crime;\n"
        "Funding received from the government;\n"
        "Actions taken to allocate the funding into specific areas\n"
        "Discussions and consultations carried out\n"
        "Next steps and application for funding in 2020/21",
        [
            "the informative presentation be noted;",
            "this item remain on the Agenda for future meetings as a regular update on progress.",
        ],
        [],
    ),
    (
        32,
        "PREVENT",
        "wilcock",
        "Tanya Wilcock",
        "",
        "Tanya Wilcock updated the Partnership on work which had been ongoing to refresh the Sefton PREVENT "
        "Strategy and a revised Draft Strategy 2020-21 was circulated for consideration.",
        [
            "The revised PREVENT strategy as now submitted be approved; and",
            "further operational update reports be submitted to future meetings as appropriate",
        ],
        [("PREVENT", 384)],
    ),
    (
        33,
        "Domestic and Sexual Abuse Update",
        "martlew",
        "Steve Martlew",
        "",
        "Steve Martlew gave an update on Domestic and Sexual abuse issues and on the Domestic and Sexual abuse "
        "Strategy which  had been approved by the Community Safety Partnership.\n\n"
        "He referred to the Domestic Abuse Governance Groups which he was looking to refresh in the new year. "
        "He also suggested that a workshop will take place with partners in early 2020 to refresh energy "
        "around the DA work and to develop an action plan that would sit below the strategy.",
        ["That the update be noted and the review and refresh be welcomed."],
        [],
    ),
    (
        34,
        "Homeless Death Review",
        "white",
        "Chris White",
        "",
        "Chris White reported that this review had taken longer than anticipated but a final paper would be "
        "published in the following week.",
        ["That the update be noted."],
        [],
    ),
    (
        35,
        "Operation Target - Merseyside Police's Response to Serious Violence",
        "moscrop",
        "Chief Inspector Matthew Moscrop",
        "",
        "Chief Inspector Matthew Moscrop gave an update on Operation Target highlighting disruption work "
        "carried out, recovery of knives, test purchases and open land searches.\n\n"
        "Reference was made to ensuring Council staff were aware of these issues when carrying out general "
        "maintenance in parks and other public spaces and Chris White agreed to liaise with Chief Inspector "
        "Moscrop on this issue.",
        [
            "the update be noted; and",
            "Chris White forward details to CI Moscrop of community and friends groups who may need some "
            "awareness training.",
        ],
        [],
    ),
    (
        36,
        "Information Sharing Agreement",
        "wilcock",
        "Tanya Wilcock",
        "",
        "Chris White reported that the Information Sharing Agreement was now complete and required signing by "
        "all appropriate parties.",
        ["The report be noted; and", "All parties be requested to sign up to the agreement."],
        [("Information Sharing Agreement", 245)],
    ),
    (
        37,
        "Integrated Youth Services - Update Report",
        "stanley",
        "Rosanna Stanley",
        "",
        "Rosanna Stanley presented a report giving an update on the progress and achievements of the "
        "Integrated Youth Service since June 2019.",
        ["That the report be noted."],
        [("Integrated Youth Services - Update Report", 88)],
    ),
    (
        38,
        "Any Other Business",
        None,
        "",
        "",
        "Tony Harland gave an update on activities during the bonfire night/mischief night period which had "
        "proved successful with a significant reduction in secondary fires.\n\n"
        "Chief Inspector Matthew Moscrop gave an update on gun crime and actions being taken in this regard. He "
        "also gave details of operation Shepherd which addressed acquisitive crime and the night-time economy "
        "over the Christmas period. He further reported that Merseyside Police had plans to sponsor a "
        "\u201cShining Star Award\u201d in 2020.\n\n"
        "Tanya Wilcock reported that the Local Safeguarding Children Board had agreed to re-introduce the Child "
        "Exploitation Sub Group but had widened the remit to include all forms of child exploitation and so "
        "have renamed it as the Complex Safeguarding sub group. Tanya agreed to represent the SSCP on the LSCB "
        "and ensure regular update and communication flow between the two.\n\n"
        "These changes had highlighted that the Sefton safer Communities Partnership did not currently have a "
        "Children\u2019s Social Care representative and she suggested that a general refresh and review of the "
        "Membership of the Partnership might be appropriate.",
        [
            "That a review and refresh of the membership of the Sefton safer Communities Partnership be carried out."
        ],
        [],
    ),
    (
        39,
        "Date of Next Meeting",
        None,
        "",
        "The next meeting will be held on xxxxxx, xxxx 2012, at Town Hall, Bootle, commencing at 9:30 am.",
        "",
        [
            "That the next meeting be held on Thursday,12 March, 2020 at the Town Hall, Bootle, commencing at "
            "10.00 am."
        ],
        [],
    ),
]

MARCH_2020 = [
    (
        40,
        "APOLOGIES FOR ABSENCE",
        None,
        "",
        "",
        "Apologies for absence were submitted from, Tony Harland, Superintendent Graham Robson, Stephen Martlew "
        "and Nicky Horn.",
        [],
        [],
    ),
    (41, "DECLARATIONS OF INTEREST", None, "", "", NO_DECLARATIONS, [], []),
    (
        42,
        "MINUTES OF PREVIOUS MEETING",
        None,
        "",
        "",
        "",
        ["That the Minutes of the meeting held on 5 December 2019 be confirmed as a correct record."],
        [],
    ),
    (
        43,
        "FEMALE OUT OF COURT DISPOSAL PROJECT",
        None,
        "Chris Millward",
        "",
        "Chris Millward gave a presentation on the Female out of Court Disposal Project which was intended to "
        "reduce re-offending.\n\n"
        "The presentation gave details of:\n\n"
        "The eligibility criteria;\nAreas of Need;\nThe issuing process;\nAchievements to date; and\nNext steps"
        "\n\n"
        "Particular reference was made to future funding and any contributions which the Strategic Partnership "
        "could make.\n"
        "Reference was made to the proven successes set out in the presentation and, bearing this in mind "
        "whether national funding for the scheme would be more appropriate.",
        [
            "That future funding for this scheme be considered once the funding for the Sefton Safer "
            "Communities Partnership funding for 2020-2021 is agreed;",
            "That it be placed on record and reported back to Merseyside Police that the Partnership would "
            "suggest that funding for this project should be considered nationally; and",
            "A letter of support for such funding be sent on behalf of the Partnership.",
        ],
        [],
    ),
    (
        44,
        "MERSEYSIDE COMMUNITY REHABILITATION COMPANY STRATEGIC NEEDS ANALYSIS",
        "rooney",
        "Karen Rooney",
        "",
        "Karen Rooney gave a presentation on the Merseyside Strategic Needs Assessment giving updated data as "
        "at 9 January 2020.",
        ["That the presentation be noted."],
        [],
    ),
    (
        45,
        "CONFERENCE REPORT",
        "white",
        "Chris White",
        "",
        "Chris White presented a report on the Tackling Serious Organised Crime Partnership Conference which "
        "had taken place on 4 December 2019 and had brought together over 60 representatives from a range of "
        "partner agencies. The aim of the conference was to understand and develop a response to Serious and "
        "Organised Crime (SOC) in south Sefton.",
        ["That the report be noted and priorities fed into next year\u2019s SSCP Action Plan"],
        [],
    ),
    (
        46,
        "DOMESTIC AND SEXUAL ABUSE",
        None,
        "",
        "",
        "The Partnership considered the report of the Localities Service Manager giving an update on the "
        "undermentioned topics with regards to Domestic Abuse:\n\n"
        "Governance Review:\n\n"
        "A brief governance review had been completed following which it was proposed to merge the operational "
        "group and the executive group into a single Domestic Abuse Steering Group.\n\n"
        "LCR Dispersed Accommodation Project 2020/21:\n\n"
        "The report gave an update of funding for the project which helped support Domestic Abuse victims in a "
        "manged move that would provide stability and sustainability for the future.\n\n"
        "Target Hardening:\n\n"
        "Funding for this project would no longer be available from April 2020 and it was suggested that an "
        "underspend in the Sefton Safer Communities Partnership budget be used in order to ensure there was no "
        "break in this valuable service.\n\n"
        "Domestic Abuse Conference:\n\n"
        "The annual Sefton Domestic Abuse Conference would take place on 26 March 2020 at Linacre Methodist "
        "Mission, Litherland.",
        [
            "the change in governance structure be approved;",
            "the use of Sefton Safer Communities Partnership underspend in 2019/20 to fund a 3-year target "
            "hardening contract be approved; and",
            "members be encouraged to book onto the Sefton Annual Domestic Abuse Conference and circulate "
            "amongst relevant staff in their organisations.",
        ],
        [],
    ),
    (
        47,
        "REFUGEE AND ASYLUM SEEKERS",
        None,
        "Steven Martlew",
        "",
        "Steven Martlew submitted a report giving an update on Asylum and Refugee issues within Sefton. The "
        "report made specific reference to Refugee Resettlement, Asylum Seekers and gave an update on a recent "
        "meeting of the Sefton Asylum, Refugee and Migration Forum.",
        ["That the report be noted."],
        [],
    ),
    (
        48,
        "LOCAL POLICING UPDATE",
        "omalley",
        "Superintendent Mike O\u2019Malley",
        "",
        "The Partnership received a verbal update from Superintendent Mike O\u2019Malley. During his "
        "presentation, Superintendent O\u2019Malley highlighted issues regarding:\n\n"
        "Investigations following a recent damage only firearms discharge\nOperation Uplift\nOrganised Crime\n"
        "Burglaries\nPlain clothes operations\nKnife crime\nOperation Target",
        ["That the update be noted."],
        [],
    ),
    (
        49,
        "PREVENT ACTION PLAN",
        "white",
        "Chris White",
        "",
        "Further to Minute No. 32 of the meeting held on 5 December 2019 Chris White updated the Partnership "
        "on work which had been ongoing to progress an Action Plan following approval of the revised Sefton "
        "PREVENT Strategy 2020-21. It was anticipated that this would be completed for the next meeting of the "
        "Partnership",
        ["The update be noted; and", "The action plan be considered at the next meeting."],
        [],
    ),
    (
        50,
        "HOMELESS DEATH REVIEW FINAL REPORT",
        "hunter",
        "David Hunter",
        "",
        "Further to Minute No. 43 of the meeting held on 14 March 2019 David Hunter submitted a report "
        "detailing a review of a death of a man with a street based lifestyle which had been commissioned by "
        "the Partnership. The report detailed the particular circumstances of the case and investigated any "
        "actions which could be put in place in an effort to reduce the possibility of any similar occurrence "
        "in the future.",
        [
            "The report be noted;",
            "The recommendations set out in the report be supported;",
            "The situation be monitored and future reports brought to the Partnership as appropriate;",
            "A presentation on drug/alcohol services be given to a future meeting of the Partnership; and",
            "A presentation on homeless services be given to a future meeting of the Partnership.",
        ],
        [],
    ),
    (
        51,
        "INTEGRATED YOUTH SERVICES",
        None,
        "Ros Stanley",
        "",
        "Ros Stanley gave a report updating the Partnership on the Integrated Youth Services and highlighting "
        "the following:\n\n"
        "Re-offending rates;\nVictim work;\nTrauma Informed Practice;\nYouth Work; and\n"
        "Duke of Edinburgh\u2019s Award Scheme",
        ["That the report be noted."],
        [],
    ),
    (
        52,
        "PARTNERSHIP MEMBERSHIP REVIEW",
        "white",
        "Chris White",
        "",
        "Further to Minute No. 38 of the meeting held on 5 December 2019 Chris White gave an update on the "
        "review and refresh of the Membership of the Partnership. In the main the present Membership was "
        "considered to be appropriate but it was felt that the addition of representatives from Education and "
        "Children\u2019s Social Care would be useful.",
        [
            "That the update be noted and the proposal to add representatives from Education and Children\u2019s "
            "Social Care be approved."
        ],
        [],
    ),
    (
        53,
        "ANY OTHER BUSINESS",
        None,
        "",
        "",
        "Violence Reduction Partnership \u2013 it was reported that additional funding had been agreed for a "
        "further 12 months and Sue Holden would be the link.\n\n"
        "A Task and Finish Group had been set up to allocate funding from VRP proposals which would be approved "
        "in consultation with the Chair of the Partnership.",
        [],
        [],
    ),
    (
        54,
        "DATE OF NEXT MEETING",
        None,
        "",
        "",
        "",
        [
            "That the next meeting be held on Thursday, 11 June, 2020 at Bootle Town Hall, commencing at "
            "10:00 am."
        ],
        [],
    ),
]

# (name as the minutes print it, the person it names or None, role, in the
# chair). A name is linked to a person only where it is printed exactly as
# that person's name: "Councillor Hardy", "Stephen Martlew" and the like stay
# unlinked until a clerk links them. "Councillors John Sayers and Shaw" is
# one line of the minutes naming two people.
MARCH_2020_ATTENDANCE = [
    ("Councillor Hardy", None, "present", True),
    ("Councillor John Sayers", "sayers", "present", False),
    ("Councillor Shaw", "shaw", "present", False),
    ("Jenny Currie", "currie", "present", False),
    ("Neil Frackleton", "frackleton", "present", False),
    ("Martin Gay", "gay", "present", False),
    ("Sue Holden", "holden", "present", False),
    ("Mike O'Malley", "omalley", "present", False),
    ("Karen Rooney", "rooney", "present", False),
    ("Helen Armitage", "armitage", "present", False),
    ("Tanya Wilcock", "wilcock", "present", False),
    ("Christopher Millward", "millward", "present", False),
    ("Chris White", "white", "present", False),
    ("Rosanna Stanley", "stanley", "present", False),
    ("Sue Simmons", "simmons", "present", False),
    ("David Hunter", "hunter", "present", False),
    ("Councillor Maher", "maher", "also_present", False),
    ("Tony Harland", "harland", "apologies", False),
    ("Superintendent Graham Robson", "robson", "apologies", False),
    ("Stephen Martlew", None, "apologies", False),
    ("Nicky Horn", "horn", "apologies", False),
]
DECEMBER_2019_ATTENDANCE = [
    ("Councillor T. Hardy", "hardy", "apologies", False),
    ("Karen Rooney", "rooney", "apologies", False),
]

# The words the minutes print between "RESOLVED:" and the numbered
# resolutions, by minute number.
RESOLUTION_PREAMBLES = {31: "That", 32: "That", 35: "That", 36: "That", 49: "That:", 50: "That"}

SMP_SUSPENSION_NOTE = (
    "At the last Safer Merseyside Partnership meeting held on the 4th September 2020, the chair proposed that "
    "due to the coronavirus pandemic and a discussion around the role of the Liverpool City Region Protecting "
    "Vulnerable People Strategic Forum, meetings of the Safer Merseyside Partnership should be temporarily "
    "suspended and that the meeting structure be held in abeyance until the PCC elections in May 2021.\n\n"
    "The chair noted that the pandemic was causing significant pressures on all agencies involved in "
    "community safety. All attendees supported the proposal and agreed that an interim extraordinary meeting "
    "could be arranged if required."
)
OLD_SITE_MINUTES = "The minutes of this meeting were published on the previous website."


def person_slug(key):
    title, name = PEOPLE[key]
    slug = "-".join(part for part in [title, name] if part).lower()
    return "".join(c if c.isalnum() else "-" for c in slug).replace("--", "-").strip("-")


def person(key):
    title, name = PEOPLE[key]
    found, _ = Person.objects.get_or_create(slug=person_slug(key), defaults={"title": title, "name": name})
    return found


def add_items(meeting, rows):
    items = {}
    for order, (number, title, presenter, printed, agenda, minutes, resolutions, documents) in enumerate(
        rows, start=1
    ):
        item = AgendaItem.objects.create(
            meeting=meeting,
            minute_number=number,
            order=order,
            title=title,
            presenter=person(presenter) if presenter else None,
            presenter_name=printed,
            agenda_text=agenda,
            minutes=minutes,
            resolution_preamble=RESOLUTION_PREAMBLES.get(number, ""),
        )
        for resolution_number, text in enumerate(resolutions, start=1):
            Resolution.objects.create(item=item, number=resolution_number, text=text)
        for document_title, kilobytes in documents:
            Document.objects.create(
                meeting=meeting,
                item=item,
                title=document_title,
                file_type="PDF",
                size_bytes=kilobytes * 1024,
                order=len(items),
            )
        items[number] = item
    return items


def add_attendance(meeting, rows):
    for order, (printed, key, role, chair) in enumerate(rows, start=1):
        Attendance.objects.create(
            meeting=meeting,
            person=person(key) if key else None,
            name=printed,
            role=role,
            is_chair=chair,
            order=order,
        )


def load_sefton_meetings():
    sefton = Partnership.objects.filter(slug=SEFTON).first()
    if sefton is None:
        return
    # The old site holds no minutes of September's meeting; December's
    # minute 30 confirmed them.
    september = Meeting.objects.create(partnership=sefton, date=datetime.date(2019, 9, 12))
    transition(september, "mark_minutes_not_online")
    december = Meeting.objects.create(
        partnership=sefton,
        date=datetime.date(2019, 12, 5),
        start_time=datetime.time(15, 0),
        venue="Committee Room, Town Hall, Bootle",
    )
    december_items = add_items(december, DECEMBER_2019)
    add_attendance(december, DECEMBER_2019_ATTENDANCE)
    action_resolution = december_items[35].resolutions.get(number=2)
    Action.objects.create(
        resolution=action_resolution,
        owner=person("white"),
        owner_name="Chris White",
        description="forward details to CI Moscrop of community and friends groups who may need some "
        "awareness training",
        is_done=None,
    )
    transition(december, "publish_minutes")
    transition(september, "confirm_minutes", december_items[30])

    march = Meeting.objects.create(
        partnership=sefton,
        date=datetime.date(2020, 3, 12),
        start_time=datetime.time(10, 0),
        venue="Town Hall, Bootle",
    )
    march_items = add_items(march, MARCH_2020)
    add_attendance(march, MARCH_2020_ATTENDANCE)
    transition(march, "publish_minutes")
    transition(december, "confirm_minutes", march_items[42])

    # Announced by the March minutes; nothing of it was ever published.
    june = Meeting.objects.create(
        partnership=sefton,
        date=datetime.date(2020, 6, 11),
        start_time=datetime.time(10, 0),
        venue="Bootle Town Hall",
        notes="The meeting of 12 March 2020 resolved that the next meeting be held on this date (Minute No. 54). "
        "The previous website holds no agenda or minutes for it.",
    )
    transition(june, "publish_agenda")


def load_smp_meetings():
    smp = Partnership.objects.filter(slug=SMP).first()
    if smp is None:
        return
    # Their minutes were on the previous website; this site does not hold them.
    for day in [datetime.date(2019, 6, 14), datetime.date(2019, 9, 6), datetime.date(2020, 1, 21)]:
        meeting = Meeting.objects.create(partnership=smp, date=day, notes=OLD_SITE_MINUTES)
        transition(meeting, "mark_minutes_not_online")
    # The last meeting before the suspension: the previous website tells
    # what it decided but lists no minutes for it.
    meeting = Meeting.objects.create(
        partnership=smp, date=datetime.date(2020, 9, 4), notes=SMP_SUSPENSION_NOTE
    )
    transition(meeting, "mark_minutes_not_online")


# What the first version of "meetings.sefton" loaded where it differs from
# the minutes as printed: titles re-cased, presenters and attendance merged
# under one spelling. Used only to recognise rows no clerk has changed since.
EARLIER_TITLES = {
    40: "Apologies for Absence",
    41: "Declarations of Interest",
    42: "Minutes of Previous Meeting",
    43: "Female Out of Court Disposal Project",
    44: "Merseyside Community Rehabilitation Company Strategic Needs Analysis",
    45: "Conference Report",
    46: "Domestic and Sexual Abuse",
    47: "Refugee and Asylum Seekers",
    48: "Local Policing Update",
    49: "PREVENT Action Plan",
    50: "Homeless Death Review Final Report",
    51: "Integrated Youth Services",
    52: "Partnership Membership Review",
    53: "Any Other Business",
    54: "Date of Next Meeting",
}
# minute number -> (person key, presenter name)
EARLIER_PRESENTERS = {
    31: ("wiggins", ""),
    32: ("wilcock", ""),
    33: ("martlew", ""),
    34: ("white", ""),
    35: ("moscrop", ""),
    36: ("wilcock", ""),
    37: ("stanley", ""),
    43: ("millward", "Chris Millward"),
    44: ("rooney", ""),
    45: ("white", ""),
    47: ("martlew", "Steven Martlew"),
    48: ("omalley", ""),
    49: ("white", ""),
    50: ("hunter", ""),
    51: ("stanley", "Ros Stanley"),
    52: ("white", ""),
}
# (meeting date, order) -> (person key, name)
EARLIER_ATTENDANCE = {
    (datetime.date(2020, 3, 12), 1): ("hardy", "Councillor Hardy"),
    (datetime.date(2020, 3, 12), 20): ("martlew", "Stephen Martlew"),
    **{
        (datetime.date(2020, 3, 12), order): (key, "")
        for order, (printed, key, role, chair) in enumerate(MARCH_2020_ATTENDANCE, start=1)
        if key and key != "omalley"
    },
    (datetime.date(2020, 3, 12), 8): ("omalley", "Mike O'Malley"),
    (datetime.date(2019, 12, 5), 1): ("hardy", ""),
    (datetime.date(2019, 12, 5), 2): ("rooney", ""),
}


def is_earlier(record, field, key, name_field, name):
    """Whether `record` still links the person `key` under `name`, as the
    first bundle left it."""
    linked = getattr(record, field)
    return getattr(record, name_field) == name and linked is not None and linked.slug == person_slug(key)


def keep_sefton_minutes_as_printed():
    """Bring installs that loaded the first "meetings.sefton" to the minutes
    as printed: each row still as that bundle left it gets the printed title,
    names and resolution wording; rows a clerk has changed are left alone."""
    sefton = Partnership.objects.filter(slug=SEFTON).first()
    if sefton is None:
        return
    meetings = [
        (datetime.date(2019, 12, 5), DECEMBER_2019, DECEMBER_2019_ATTENDANCE),
        (datetime.date(2020, 3, 12), MARCH_2020, MARCH_2020_ATTENDANCE),
    ]
    for day, rows, attendance in meetings:
        meeting = Meeting.objects.filter(partnership=sefton, date=day).first()
        if meeting is None:
            continue
        items = {item.minute_number: item for item in meeting.items.select_related("presenter")}
        for number, title, key, printed, *_ in rows:
            item = items.get(number)
            if item is None:
                continue
            changed = False
            if item.title == EARLIER_TITLES.get(number):
                item.title, changed = title, True
            earlier = EARLIER_PRESENTERS.get(number)
            if earlier and is_earlier(item, "presenter", earlier[0], "presenter_name", earlier[1]):
                item.presenter = person(key) if key else None
                item.presenter_name, changed = printed, True
            if number in RESOLUTION_PREAMBLES and not item.resolution_preamble:
                item.resolution_preamble, changed = RESOLUTION_PREAMBLES[number], True
            if changed:
                item.save()
        rows_by_order = {row.order: row for row in meeting.attendances.select_related("person")}
        for order, (printed, key, _role, _chair) in enumerate(attendance, start=1):
            row = rows_by_order.get(order)
            earlier = EARLIER_ATTENDANCE.get((day, order))
            if (
                row is None
                or earlier is None
                or not is_earlier(row, "person", earlier[0], "name", earlier[1])
            ):
                continue
            row.person = person(key) if key else None
            row.name = printed
            row.save()


# Loaded in this order, each once. Keys are permanent: renaming one loads it again.
BUNDLES = [
    ("meetings.sefton", load_sefton_meetings),
    ("meetings.smp", load_smp_meetings),
    ("meetings.sefton-as-printed", keep_sefton_minutes_as_printed),
]
