"""
Ids that never move: the Atom ids of feeds and their entries, and the UIDs
of calendar events.

RFC 4287 says an entry's id must not change when the feed is moved to
another address, and calendar apps match events by UID: so neither may be
built from SITE_URL (or the request's host). Each is a name-based UUID
(RFC 9562, version 5) of what it identifies ("meeting-41",
"publication-7", "feed:minutes:partnership-2") within a namespace fixed by
the setting STABLE_ID_NAMESPACE, which an installation sets once and never
changes. Atom takes it as `urn:uuid:...` (as RFC 4287's own examples do);
iCalendar as the bare UUID (RFC 7986 recommends a UUID for a UID).
"""

import uuid

from django.conf import settings


def stable_uuid(name):
    return uuid.uuid5(settings.STABLE_ID_NAMESPACE, name)


def atom_id(name):
    return stable_uuid(name).urn


def calendar_uid(name):
    return str(stable_uuid(name)).upper()
