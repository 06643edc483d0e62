"""
The registry of content: for each model whose rows the public pages show,
which partnership and meeting a row belongs to, whether it shows on every
page, and what search calls it. (Which saves change only the wording of
minutes, the row itself says: AgendaItem.changed_only_in_wording.)

The page cache (which pages a change makes stale), the search index (which
entries a save or delete touches) and the alerts read it; nothing else keeps
a list of what is content. The list itself is the site's, in the layer above
the apps (publishing/content.py), registered when the site starts; this
module is the foundation's part, so that any app may read it without
importing the apps it describes.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Content:
    # "app_label.model_name"
    label: str
    # The attribute path from a row to its partnership's id
    # ("meeting.partnership_id"); empty for content of no one partnership.
    partnership: str = ""
    # The attribute path from a row to its meeting, for content of a meeting.
    meeting: str = ""
    # Shown on (almost) any page: a name in the navigation or on many
    # partnerships' pages, a glossary term. A change makes the whole site stale.
    everywhere: bool = False
    # What the search index calls its entries (search.models.SearchEntry.Kind),
    # if it has entries of its own.
    search_kind: str = ""
    # Whether a change to a row (saved, added or removed) is seen only on its
    # meeting's pages, its partnership's pages that are not a meeting's, the
    # lists, and the pages of the other meetings that show the row: those
    # found by meetings_showing, which knows such rows by this kind
    # ("items"...). A row may narrow it further:
    # `changed_only_within_its_meeting()`, asked after a save.
    within_meeting: bool = False
    shown_elsewhere_as: str = ""
    # Whether people's pages show a row within a meeting (an attendance, a
    # minute's presenter). A row may narrow it: `changed_what_people_pages_show()`.
    on_people_pages: bool = False


_registry = {}


def register(*contents):
    for content in contents:
        _registry[content.label] = content


def content_of(model):
    """The registry's entry of a model (class or row), or None: not content."""
    return _registry.get(model._meta.label_lower)


def search_kinds():
    """{label: search kind} of the content that has entries of its own."""
    return {label: content.search_kind for label, content in _registry.items() if content.search_kind}


def follow(instance, path):
    """The value at an attribute path ("item.meeting.partnership_id") from a
    row, or None where a link is empty."""
    for name in path.split("."):
        if instance is None:
            return None
        instance = getattr(instance, name)
    return instance


def partnership_id_of(instance):
    content = content_of(instance)
    if content is None or not content.partnership:
        return None
    return follow(instance, content.partnership)


def meeting_of(instance):
    content = content_of(instance)
    if content is None or not content.meeting:
        return None
    return follow(instance, content.meeting) if content.meeting != "self" else instance


def changed_only_within_its_meeting(instance, saved):
    """Whether this save (`saved`: of a row that was already there) or
    addition or removal of a row changed what only its meeting's pages, its
    partnership's other pages, the lists and the meetings that show the row
    show."""
    content = content_of(instance)
    if content is None or not content.within_meeting:
        return False
    narrower = getattr(instance, "changed_only_within_its_meeting", None)
    if narrower is None:
        return True
    return saved and narrower()


def shown_on_people_pages(instance):
    """Whether this change within a meeting shows on people's pages."""
    content = content_of(instance)
    if content is None or not content.on_people_pages:
        return False
    narrower = getattr(instance, "changed_what_people_pages_show", None)
    return narrower is None or narrower()


# Which meetings' pages show rows of other meetings (a minute citing another,
# a report on an earlier meeting's action): the meetings app's to answer,
# registered with the list of content.
_meetings_showing = []


def register_meetings_showing(lookup):
    _meetings_showing[:] = [lookup]


def meetings_showing(rows):
    """(partnership id, date, meeting id) of every meeting whose pages show
    any of `rows` ({kind: ids}), in a fixed number of queries."""
    return _meetings_showing[0](rows) if _meetings_showing else []


# How a partnership's address (its slug) leads to its id, for the page cache's
# scopes: the partnerships app's to answer, registered with the list of content.
_slug_lookup = []


def register_partnership_lookup(lookup):
    _slug_lookup[:] = [lookup]


def partnership_id_of_slug(slug):
    return _slug_lookup[0](slug) if _slug_lookup else None
