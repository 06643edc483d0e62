from django.conf import settings
from django.urls import NoReverseMatch, reverse

# The header's navigation: (label, URL name, the first part of the path that
# marks a page as inside that section). A section appears once its URL exists.
NAVIGATION = [
    ("Partnerships", "partnerships:list", "partnerships"),
    ("Meetings", "meetings:index", "meetings"),
    ("Have your say", "consultation:index", "have-your-say"),
    ("Search", "search:search", "search"),
]


def site(request):
    section = request.path.strip("/").split("/", 1)[0] if request else ""
    navigation = []
    for label, url_name, prefix in NAVIGATION:
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        navigation.append({"label": label, "href": href, "active": section == prefix})
    return {"site_name": settings.SITE_NAME, "navigation": navigation}
