"""
Names as the minutes print them, and the site's people they may be.

- **Exact**: the printed name is the person's own, with or without their
  title ("Chief Inspector Matthew Moscrop", "Matthew Moscrop"). Linked.
- **Suggested**: exactly one person has the surname, and the title and the
  first initial agree where the minutes print them ("Councillor Hardy" is
  Councillor T. Hardy; "Stephen Martlew" is Steve Martlew; "Superintendent
  Hardy" is not Councillor T. Hardy). The review screen shows the
  suggestion, and the minutes editor starts with it for the clerk to keep
  or change; the `import_minutes` command never saves a suggestion, it lists it.
- **Ambiguous**: two or more people fit. Nothing is linked; the review
  screen and the command name them all, for the clerk to choose.
- **None**: no one has the surname; the name is kept as printed.
"""

import dataclasses
import re

from django.db.models import Q

from partnerships.models import Person

from .text import TITLES

EXACT, SUGGESTED, AMBIGUOUS, NONE = "exact", "suggested", "ambiguous", "none"
# Titles printed in more than one way.
SAME_TITLE = {
    "cllr": "councillor",
    "cllrs": "councillor",
    "councillors": "councillor",
    "supt": "superintendent",
    "ch supt": "chief superintendent",
    "insp": "inspector",
    "ci": "chief inspector",
    "dr": "doctor",
    "rev": "reverend",
    "prof": "professor",
}
COURTESY = {"mr", "mrs", "ms", "miss", "mx"}


def normalise(name):
    return re.sub(r"\s+", " ", name.replace("’", "'").replace("‘", "'")).strip().lower()


def split_title(name):
    """("Councillor", "T. Hardy") from "Councillor T. Hardy"."""
    match = re.match(rf"^((?:{TITLES}\s+)+)(.*)$", name.strip())
    if not match:
        return "", name.strip()
    return match[1].strip(), match[2].strip()


def title_key(title):
    key = normalise(title).replace(".", "")
    key = SAME_TITLE.get(key, key)
    return "" if key in COURTESY else key


@dataclasses.dataclass
class NameMatch:
    printed: str
    kind: str
    person: Person | None = None
    candidates: list = dataclasses.field(default_factory=list)

    @property
    def linked(self):
        """The person to link without asking: only an exact match."""
        return self.person if self.kind == EXACT else None


class Matcher:
    """Matches names to people, each surname looked up once."""

    def __init__(self):
        self.cache = {}
        self.people_by_surname = {}

    def __call__(self, printed):
        key = normalise(printed)
        if key not in self.cache:
            self.cache[key] = self.find(printed)
        return self.cache[key]

    def prefetch(self, names):
        """Look up the people of every surname in `names` in one query."""
        surnames = {split_title(name)[1].split()[-1] for name in names if split_title(name)[1].split()}
        surnames -= set(self.people_by_surname)
        if not surnames:
            return
        query = Q()
        for surname in surnames:
            for spelling in {surname, surname.replace("’", "'"), surname.replace("'", "’")}:
                query |= Q(name__iendswith=spelling)
        found = list(Person.objects.filter(query).order_by("name", "pk"))
        for surname in surnames:
            self.people_by_surname[normalise(surname)] = [
                person
                for person in found
                if normalise((person.name.split() or [""])[-1]) == normalise(surname)
            ]

    def candidates(self, surname):
        if normalise(surname) not in self.people_by_surname:
            self.prefetch([surname])
        return self.people_by_surname[normalise(surname)]

    def find(self, printed):
        title, bare = split_title(printed)
        words = bare.split()
        if not words:
            return NameMatch(printed, NONE)
        people = self.candidates(words[-1])
        for exact in (normalise(printed), normalise(bare)):
            found = [p for p in people if exact in (normalise(p.full_name), normalise(p.name))]
            if len(found) == 1:
                return NameMatch(printed, EXACT, found[0], found)
        fitting = [person for person in people if agrees(title, words, person)]
        if len(fitting) == 1:
            return NameMatch(printed, SUGGESTED, fitting[0], fitting)
        if len(fitting) > 1:
            return NameMatch(printed, AMBIGUOUS, None, fitting)
        return NameMatch(printed, NONE)


def agrees(title, words, person):
    """Whether the printed title and first initial fit the person's."""
    printed_title, own_title = title_key(title), title_key(person.title)
    if printed_title and own_title and printed_title != own_title:
        return False
    forenames = person.name.split()[:-1]
    return not (len(words) > 1 and forenames and words[0][:1].lower() != forenames[0][:1].lower())


def name_links(parsed):
    """Every name an import would link, with what it matched: [NameMatch],
    each printed name once, in the order the minutes give them."""
    matcher = Matcher()
    names = [attendee.name for attendee in parsed.attendees]
    names += [item.presenter for item in parsed.items if item.presenter]
    names += [declaration.name for declaration in parsed.declarations]
    matcher.prefetch(names)
    return [matcher(name) for name in dict.fromkeys(names)]
