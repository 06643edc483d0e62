"""
The minutes editor: a whole meeting on one screen, for clerks.

The meeting's details, its items (minute numbers, presenters, agenda text,
minutes, resolutions, a document each, exempt paragraph), attendance as a
tick list of the partnership's members plus rows for anyone else, the
declarations of interest and the date of the next meeting. It is an admin
view (staff only, scoped to the clerk's partnerships as the rest of the
admin: partnerships/admin_scope.py) drawn with GOV.UK Frontend, and needs no
JavaScript: "Add items", "Add the standing items", "Move up", "Move down"
and "Remove" post the whole form and show it again, rearranged, with
everything typed kept (a chosen file excepted: browsers never keep one).

Only "Save" writes: one operation of publishing.operations, in one
transaction, each record checked by its model's full_clean(), so the rules
and effects are those of every other path (the admin's pages, the imports).
Rows that did not change are not written again. The publishing buttons save
and run the transition the meeting's state allows in the same operation;
confirming, cancelling and postponing are on the meeting's admin page.

The screen can be filled from plain data (meetings/editor/data.py), which is
how an importer's draft reaches the clerk for review.
"""

from .state import data_from_meeting
from .views import editor_urls, editor_view

__all__ = ["data_from_meeting", "editor_urls", "editor_view"]
