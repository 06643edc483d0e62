"""People in the minutes editor: the choices of its person fields, the lists
of names a clerk pastes from the minutes ("Apologies: Councillors Hardy and
Shaw, Sue Holden"), each made a row of the attendance and linked to the
person on the site whose name it is, and new people added from the screen."""

import dataclasses

from django.utils.text import slugify

from partnerships.models import Membership, Person

from ..importers.names import EXACT, SUGGESTED, Matcher, split_title
from ..importers.text import split_names
from ..models import Attendance
from .forms import NOT_LINKED

# The pasted lists of the details form, and the role each gives.
LISTS = {
    "present_list": Attendance.Role.PRESENT,
    "also_present_list": Attendance.Role.ALSO_PRESENT,
    "apologies_list": Attendance.Role.APOLOGIES,
}


def people_choices(partnership):
    """Every person on the site, for a person field: the partnership's own
    (its members, past and present, and whoever its minutes name) first,
    then everyone else, A to Z; each labelled with their organisation where
    the site knows it, to tell two people of one name apart. Two queries,
    whatever the number of people."""
    people = Person.objects.select_related("organisation").order_by("name", "title", "pk")
    own_ids = set()
    if partnership is not None:
        own_ids = set(
            Membership.objects.filter(seat__partnership=partnership)
            .order_by()
            .values_list("person_id", flat=True)
            .union(
                Attendance.objects.filter(meeting__partnership=partnership, person__isnull=False)
                .order_by()
                .values_list("person_id", flat=True)
            )
        )
    own, others = [], []
    for person in people:
        label = person.full_name
        if person.organisation_id:
            label += f" ({person.organisation.name})"
        (own if person.pk in own_ids else others).append((str(person.pk), label))
    if partnership is None or not own:
        return others
    return [(f"People of the {partnership.name}", own), ("Everyone else", others)]


@dataclasses.dataclass
class Filled:
    """What the pasted lists gave: names, and those linked to a person."""

    names: list = dataclasses.field(default_factory=list)
    linked: list = dataclasses.field(default_factory=list)

    def message(self):
        count = len(self.names)
        said = f"Added {count} name{'s' if count != 1 else ''} from the lists to the attendance"
        if not self.linked:
            return said + "; none is the name of a person on the site."
        return (
            f"{said}, and linked {len(self.linked)} to people on the site: "
            + ", ".join(f"{printed} to {person.full_name}" for printed, person in self.linked)
            + ". Check them under Attendance."
        )


def fill_from_lists(data, members):
    """The posted form `data` (a QueryDict) with the names pasted into the
    lists made rows: a member of the partnership gets their tick (and the
    name as printed where it differs); anyone else a row of "Others", linked
    where the name is a person's own or fits one person only (the rule of
    the importers, meetings.importers.names), else kept as printed. Blank
    rows are filled first. Returns (new data, Filled); the lists are
    emptied, their names being in the rows now."""
    data = data.copy()
    filled = Filled()
    attendees = []
    for field, role in LISTS.items():
        attendees += split_names(data.get(field, ""), role)
        data[field] = ""
    if not attendees:
        return data, filled
    matcher = Matcher()
    matcher.prefetch([attendee.name for attendee in attendees])
    member_ids = {person.pk for person, _ in members}
    total = int(data.get("others-TOTAL_FORMS") or 0)
    blank_rows = [
        index
        for index in range(total)
        if not data.get(f"others-{index}-name", "").strip()
        and data.get(f"others-{index}-person", NOT_LINKED) == NOT_LINKED
        and not data.get(f"others-{index}-id")
    ]
    for attendee in attendees:
        match = matcher(attendee.name)
        person = match.person if match.kind in (EXACT, SUGGESTED) else None
        filled.names.append(attendee.name)
        if person is not None:
            filled.linked.append((attendee.name, person))
        printed = "" if person is not None and attendee.name == person.full_name else attendee.name
        chair = attendee.is_chair and attendee.role == Attendance.Role.PRESENT
        role = "chair" if chair else attendee.role
        if person is not None and person.pk in member_ids:
            data[f"member-{person.pk}-attendance"] = role
            data[f"member-{person.pk}-name"] = printed
            continue
        if blank_rows:
            index = blank_rows.pop(0)
        else:
            index = total
            total += 1
        data[f"others-{index}-id"] = ""
        data[f"others-{index}-name"] = printed
        data[f"others-{index}-person"] = str(person.pk) if person is not None else NOT_LINKED
        data[f"others-{index}-role"] = role
    data["others-TOTAL_FORMS"] = str(total)
    return data, filled


def new_person(printed):
    """A person made from a name as the minutes print it ("Councillor Jo
    Bloggs": title Councillor, name Jo Bloggs), with a free address; saved
    by the caller, inside the meeting's operation."""
    title, name = split_title(printed)
    if not name:
        title, name = "", printed.strip()
    base = slugify(name)[:190] or "person"
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return Person(title=title[:60], name=name[:200], slug=slug)
