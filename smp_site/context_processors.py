import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# The header's navigation: (label, URL name, the first part of the path that
# marks a page as inside that section). A section appears once its URL exists.
NAVIGATION = [
    ("Partnerships", "partnerships:list", "partnerships"),
    ("Meetings", "meetings:index", "meetings"),
    ("Have your say", "consultation:index", "have-your-say"),
    ("Search", "search:search", "search"),
]

# What else every page links to (base.html: its header, feeds and footer), as
# `addresses.<key>`; a name the URLconf lacks is left out.
ADDRESSES = {
    "home": "home",
    "search": "search:search",
    "minutes_feed": "follow:minutes_feed",
    "meetings_feed": "follow:meetings_feed",
    "consultations_feed": "follow:consultations_feed",
    "accessibility": "accessibility",
    "privacy": "privacy",
    "cookies": "cookies",
    "contact": "contact",
    "glossary": "glossary:index",
}


def site(request):
    section = request.path.strip("/").split("/", 1)[0] if request else ""
    addresses, sections = site_addresses(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    navigation = [
        {"label": label, "href": href, "active": section == prefix} for label, href, prefix in sections
    ]
    return {"site_name": settings.SITE_NAME, "navigation": navigation, "addresses": addresses}


@functools.lru_cache(maxsize=16)
def site_addresses(urlconf, script_prefix):
    """ADDRESSES and NAVIGATION's addresses under this URLconf and script
    prefix: reversed once for each, not on every page (a page asked for
    fourteen, some tens of microseconds each, on every build)."""
    addresses = {}
    for key, name in ADDRESSES.items():
        try:
            addresses[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue
    sections = []
    for label, name, prefix in NAVIGATION:
        try:
            sections.append((label, reverse(name, urlconf=urlconf), prefix))
        except NoReverseMatch:
            continue
    return addresses, tuple(sections)
