"""
The partnerships' initial content, taken word for word from the public pages
this site replaces (the PCC's Safer Merseyside Partnership pages, old and new,
and the legacy Merseyside Community Safety Partnership page). Nothing here is
invented: where the old pages say nothing (who holds a seat, Sefton's
membership), the site says nothing.

`load_initial_content` runs each bundle in BUNDLES once (see
partnerships.models.InitialContent).
"""

import datetime

from .models import (
    Achievement,
    HistoryEvent,
    Objective,
    Organisation,
    Partnership,
    Priority,
    RelatedBody,
    Seat,
)

PLAN = "Merseyside Police and Crime Commissioner\u2019s Police and Crime Plan 2017-21"

ORGANISATIONS = [
    # (slug, name, kind)
    ("merseyside-pcc", "Office of the Police and Crime Commissioner for Merseyside", "policing"),
    ("knowsley-council", "Knowsley Council", "local_authority"),
    ("liverpool-city-council", "Liverpool City Council", "local_authority"),
    ("sefton-council", "Sefton Council", "local_authority"),
    ("st-helens-council", "St Helens Council", "local_authority"),
    ("wirral-council", "Wirral Council", "local_authority"),
    ("merseyside-fire-and-rescue-authority", "Merseyside Fire and Rescue Authority", "fire"),
    ("national-probation-service", "National Probation Service", "criminal_justice"),
    (
        "merseyside-community-rehabilitation-company",
        "Merseyside Community Rehabilitation Company",
        "criminal_justice",
    ),
    ("merseyside-chambers-of-commerce", "Merseyside Chambers of Commerce", "business"),
    ("department-for-work-and-pensions", "Department for Work and Pensions", "public_body"),
    ("merseyside-youth-offending-teams", "Merseyside Youth Offending Teams", "criminal_justice"),
    (
        "lcr-protecting-vulnerable-people-forum",
        "Liverpool City Region Protecting Vulnerable People Forum",
        "forum",
    ),
    ("merseyside-criminal-justice-board", "Merseyside Criminal Justice Board", "forum"),
]

SMP_PRIORITIES = [
    "Preventing crime and anti-social behaviour",
    "Tackling serious and organised crime",
    "Supporting victims, protecting vulnerable people and maintaining public safety",
]

SMP_OBJECTIVES = [
    "To determine if national strategies are achievable/appropriate",
    "Provide strategic leadership of national strategies including the Serious and Organised Crime "
    "Strategy (NOCS)",
    "To review and have oversight of strategic plans for Merseyside and address national strategies as "
    "developed by organisations (e.g. NOCS)",
    "To challenge performance against the strategy outcomes (e.g. NOCS)",
    "Provide political direction and oversight under the Crime and Disorder Act at county level",
    "Act as an oversight body for the Strategic Protecting Vulnerable Peoples Forum",
    "To act as a critical friend and to unblock issues at a strategic level",
    "For each Local Authority to be accountable for delivery in their area",
    "Provide strategic leadership of the wider community safety issues",
    "To support the coordination and pooling of resources",
    "To enable regional sharing of learning",
    "Raise the national profile of Merseyside/LCR",
]

LEAD_COUNCILLOR_TITLE = "Lead Councillor for Community Safety and/or relevant specialist areas"

# (role, title, organisation slug or None, note)
SMP_SEATS = [
    ("chair", "Merseyside\u2019s Police and Crime Commissioner", "merseyside-pcc", ""),
    ("deputy_chair", "Deputy Police and Crime Commissioner", "merseyside-pcc", ""),
    ("lead_councillor", f"{LEAD_COUNCILLOR_TITLE}, Knowsley", "knowsley-council", ""),
    ("lead_councillor", f"{LEAD_COUNCILLOR_TITLE}, Liverpool", "liverpool-city-council", ""),
    ("lead_councillor", f"{LEAD_COUNCILLOR_TITLE}, Sefton", "sefton-council", ""),
    ("lead_councillor", f"{LEAD_COUNCILLOR_TITLE}, St Helens", "st-helens-council", ""),
    ("lead_councillor", f"{LEAD_COUNCILLOR_TITLE}, Wirral", "wirral-council", ""),
    ("fire_authority", "Fire Authority Representative", "merseyside-fire-and-rescue-authority", ""),
    ("special_advisor", "National Probation Service", "national-probation-service", ""),
    (
        "special_advisor",
        "Merseyside Community Rehabilitation Company",
        "merseyside-community-rehabilitation-company",
        "",
    ),
    ("special_advisor", "Housing (Mayoral Lead)", None, ""),
    ("special_advisor", "Chamber of Commerce", "merseyside-chambers-of-commerce", ""),
    ("special_advisor", "Department of Work and Pensions", "department-for-work-and-pensions", ""),
    (
        "special_advisor",
        "Youth Offending representative",
        "merseyside-youth-offending-teams",
        "Has responsibility for representing and feeding back to all Merseyside Youth Offending Teams.",
    ),
    (
        "special_advisor",
        "Chair of the City Region Protecting Vulnerable People Forum (LCR PVPF)",
        "lcr-protecting-vulnerable-people-forum",
        "",
    ),
]

SMP_PURPOSE = """\
The police cannot cut crime on their own. Effective partnership working is essential. The PCC works with other local leaders to improve outcomes for communities and make sure that local resources are used efficiently and effectively. One of these key groups for this is the Safer Merseyside Partnership (SMP).

The primary aim of the Safer Merseyside Partnership is to provide the Commissioner with the opportunity to work with her partners to provide an efficient and effective criminal justice system in the region.

The SMP focuses on the oversight of the delivery of national strategies across Merseyside, whilst simultaneously maintaining a commitment to community safety.

The Partnership provides elected members with an overview of both the Protecting Vulnerable People forum in the Liverpool City Region structure and the Merseyside Criminal Justice Board."""

SMP_BACKGROUND = """\
As a result of a formal consultation with partners, it was agreed in June 2019 that the Merseyside Community Safety Partnership would operate under a new name, terms of reference and structure.

The new partnership, named the Safer Merseyside Partnership (SMP), will shift to the oversight of the delivery of national strategies across Merseyside, whilst simultaneously maintaining a commitment to community safety. The Partnership will also provide elected members with an overview of both the Protecting Vulnerable People forum in the Liverpool City Region structure and the Merseyside Criminal Justice Board.

The new approach will provide an advisory role, and requires effective links with the various other relevant partnerships and meetings to ensure that the objectives of the Partnership and ultimately, those of the Mayor and the City Region Authority are met."""

SMP_SUSPENSION = """\
At the last Safer Merseyside Partnership meeting held on the 4th September 2020, the chair proposed that due to the coronavirus pandemic and a discussion around the role of the Liverpool City Region Protecting Vulnerable People Strategic Forum, meetings of the Safer Merseyside Partnership should be temporarily suspended and that the meeting structure be held in abeyance until the PCC elections in May 2021.

The chair noted that the pandemic was causing significant pressures on all agencies involved in community safety. All attendees supported the proposal and agreed that an interim extraordinary meeting could be arranged if required."""

# "Until the PCC elections in May 2021": the old pages give the month only,
# so the notice lapses when that month is over.
SMP_SUSPENDED_UNTIL = datetime.date(2021, 5, 31)

MCSP_PURPOSE = """\
It aimed to develop and enhance multi-agency approaches to reducing crime and disorder across the Merseyside Police Force area and provided the Police and Crime Commissioner with the opportunity to work with partners to provide efficient and effective community safety across the region."""

MCSP_ACHIEVEMENTS = [
    (
        "2018/19",
        False,
        """\
Throughout 18/19, the Partnership\u2019s meetings continued to be aligned to Commissioner's policing priorities and served to identify opportunities for an evidence based, pan-Merseyside approach, including co-commissioning, the sharing of best practice and collaboration in support of the Partnership\u2019s priorities.

In particular, partners were brought together to discuss a wide range of current matters including a joint pan-Merseyside knife crime action plan, consistent ASB recording mechanisms and the New Integrated Through the Gate Model to support the rehabilitation of offenders. The Partnership was also given an overview of the Merseyside Youth Alliance following a successful bid for the Early Intervention Youth Fund announced in November 2018.

In addition, the Partnership planned a programme of work for the year ahead as a result of a formal consultation which has informed a change of priorities for the Merseyside Community Safety Partnership. It has been twenty years since the Crime and Disorder Act 1998 brought Community Safety Partnerships into being and much has changed since then. As an example of these changes, the Government recommended that local Organised Crime Partnerships be established to oversee sub-regional work and it was suggested that Community Safety Partnerships would be an ideal mechanism to fulfil this function. This presented the Merseyside Community Safety Partnership with an opportunity to restructure to reflect the new oversight role. The Government\u2019s view is that local Serious and Organised Crime Partnerships would oversee the delivery of the refreshed national Serious and Organised Crime Strategy 2018.""",
    ),
    (
        "2017/18",
        False,
        """\
In 2017/18, meetings of the Partnership were aligned to the Commissioner's policing priorities, enabling greater focus on the issues facing our region. Over the year, Partnership members have shared best practice regarding a wide range of current issues across the criminal justice system. These included preventative youth diversion activities targeted at ASB, multi-agency offender management from the National Probation Service to reduce reoffending and an update of the Red Umbrella Project launched in December 2017 following Merseyside Police\u2019s successful bid to the VAWG transformation fund.

In addition, the Partnership has built up knowledge and understanding of the links between Child Criminal Exploitation and county lines as well as Fraud & Cyber-crime vulnerability within Merseyside and the work that has been carried out to prevent victimisation and pursue perpetrators.""",
    ),
    (
        "2016/17",
        False,
        """\
This Partnership is now in its fourth year. In 2016/17 I brought partners together to raise awareness of cyber-crime; to consult on Merseyside Police\u2019s Community First proposals; to develop partner input on Police and Crime Plan objectives; and to plan the programme of work for the year ahead. The Partnership also improved understanding of the impact of austerity with Liverpool John Moores University commissioned to provide a bespoke piece of research with recommendations for the future of community safety on Merseyside.""",
    ),
    (
        "2015/16",
        True,
        # The captured page stops here, mid-word; the rest is lost.
        """\
During 2015/16, membership was expanded further. In May 2015, Merseyside Chambers of Commerce were invited to join the partnershi\u2026""",
    ),
]


def load_organisations():
    for slug, name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})


def load_mcsp():
    mcsp, created = Partnership.objects.get_or_create(
        slug="merseyside-community-safety-partnership",
        defaults={
            "name": "Merseyside Community Safety Partnership",
            "short_name": "MCSP",
            "kind": Partnership.Kind.COUNTY,
            "summary": "The Merseyside Community Safety Partnership operated between 2012 and June 2019, "
            "when it became the Safer Merseyside Partnership.",
            "purpose": MCSP_PURPOSE,
            "formed_on": datetime.date(2012, 1, 1),
            "formed_precision": "year",
            "ended_on": datetime.date(2019, 6, 1),
            "ended_precision": "month",
            "status": Partnership.Status.ENDED,
            "order": 30,
        },
    )
    if not created:
        return
    HistoryEvent.objects.create(
        partnership=mcsp,
        kind=HistoryEvent.Kind.FORMED,
        happened_on=datetime.date(2012, 1, 1),
        precision="year",
        description="The Merseyside Community Safety Partnership began operating.",
    )
    HistoryEvent.objects.create(
        partnership=mcsp,
        kind=HistoryEvent.Kind.RENAMED,
        happened_on=datetime.date(2019, 6, 1),
        precision="month",
        description="In June 2019 following consultation, this Partnership took a new structure and terms "
        "of reference and became the Safer Merseyside Partnership.",
    )
    for year, incomplete, text in MCSP_ACHIEVEMENTS:
        Achievement.objects.create(partnership=mcsp, year=year, text=text, is_incomplete=incomplete)


def load_smp():
    mcsp = Partnership.objects.filter(slug="merseyside-community-safety-partnership").first()
    smp, created = Partnership.objects.get_or_create(
        slug="safer-merseyside-partnership",
        defaults={
            "name": "Safer Merseyside Partnership",
            "short_name": "SMP",
            "kind": Partnership.Kind.PCC,
            "summary": "Chaired by the Police and Crime Commissioner, the SMP oversees the delivery of national "
            "strategies across Merseyside, whilst maintaining a commitment to community safety.",
            "purpose": SMP_PURPOSE,
            "background": SMP_BACKGROUND,
            "priorities_note": "The priorities have been consulted upon with the public and all members of "
            "the Merseyside Community Safety Partnership.",
            "membership_note": "Where agencies have no political lead (e.g. Probation) they sit on the group "
            "as a special advisor (e.g. Probation Service, CRC etc.) and will initially include:",
            "formed_on": datetime.date(2019, 6, 1),
            "formed_precision": "month",
            "predecessor": mcsp,
            "status": Partnership.Status.SUSPENDED,
            "status_reason": SMP_SUSPENSION,
            "suspended_until": "the PCC elections in May 2021",
            "suspended_until_on": SMP_SUSPENDED_UNTIL,
            "contact_name": "Office of the Police and Crime Commissioner for Merseyside",
            "order": 10,
        },
    )
    if not created:
        return
    for order, text in enumerate(SMP_PRIORITIES, start=1):
        Priority.objects.create(partnership=smp, order=order, text=text, source_plan=PLAN)
    for order, text in enumerate(SMP_OBJECTIVES, start=1):
        Objective.objects.create(partnership=smp, order=order, text=text)
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for order, (role, title, organisation, note) in enumerate(SMP_SEATS, start=1):
        Seat.objects.create(
            partnership=smp,
            order=order,
            role=role,
            title=title,
            organisation=organisations.get(organisation),
            note=note,
        )
    for order, slug in enumerate(
        ["lcr-protecting-vulnerable-people-forum", "merseyside-criminal-justice-board"]
    ):
        RelatedBody.objects.create(
            partnership=smp,
            organisation=organisations[slug],
            relationship=RelatedBody.Relationship.OVERVIEW,
            order=order,
        )
    RelatedBody.objects.create(
        partnership=smp,
        organisation=organisations["lcr-protecting-vulnerable-people-forum"],
        relationship=RelatedBody.Relationship.OVERSEES,
        note="acts as an oversight body for the Strategic Protecting Vulnerable Peoples Forum",
        order=3,
    )
    HistoryEvent.objects.create(
        partnership=smp,
        kind=HistoryEvent.Kind.FORMED,
        happened_on=datetime.date(2019, 6, 1),
        precision="month",
        description="As a result of a formal consultation with partners, the Merseyside Community Safety "
        "Partnership began to operate under a new name, terms of reference and structure, as the Safer "
        "Merseyside Partnership.",
    )
    HistoryEvent.objects.create(
        partnership=smp,
        kind=HistoryEvent.Kind.SUSPENDED,
        happened_on=datetime.date(2020, 9, 4),
        precision="day",
        description="Due to the coronavirus pandemic and a discussion around the role of the Liverpool City "
        "Region Protecting Vulnerable People Strategic Forum, meetings were temporarily suspended and the "
        "meeting structure held in abeyance until the PCC elections in May 2021.",
    )


def load_sefton():
    Partnership.objects.get_or_create(
        slug="sefton-safer-communities-partnership",
        defaults={
            "name": "Sefton Safer Communities Partnership",
            "short_name": "SSCP",
            "kind": Partnership.Kind.COUNCIL,
            "summary": "Sefton Council\u2019s community safety partnership, which meets at the Town Hall, Bootle.",
            "contact_name": "Paul Fraser",
            "contact_role": "Democratic Services Officer",
            "order": 20,
        },
    )


def end_smp_suspension():
    """Installs loaded before the suspension had an end date get it, unless
    a clerk has changed the notice since."""
    Partnership.objects.filter(
        slug="safer-merseyside-partnership",
        suspended_until="the PCC elections in May 2021",
        suspended_until_on__isnull=True,
    ).update(suspended_until_on=SMP_SUSPENDED_UNTIL)


# Loaded in this order, each once. Keys are permanent: renaming one loads it again.
BUNDLES = [
    ("partnerships.organisations", load_organisations),
    ("partnerships.mcsp", load_mcsp),
    ("partnerships.smp", load_smp),
    ("partnerships.sefton", load_sefton),
    ("partnerships.smp-suspension-end", end_smp_suspension),
]
