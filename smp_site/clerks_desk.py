"""The clerk's front door on the admin's index: the minutes editor for each
partnership the staff member enters meetings for, the import page, and the
meetings they entered last, each back into the editor."""

from meetings.models import Meeting
from partnerships.admin_scope import restrict
from partnerships.models import Partnership

RECENT_MEETINGS = 5


class ClerksDeskMixin:
    def index(self, request, extra_context=None):
        user = request.user
        desk = {}
        if user.has_perm("meetings.add_meeting"):
            desk["partnerships"] = list(restrict(user, Partnership.objects.order_by("name"), "pk"))
        if user.has_perm("meetings.change_meeting"):
            desk["recent"] = list(
                restrict(user, Meeting.objects.select_related("partnership"), "partnership")
                .exclude(minutes_status=Meeting.MinutesStatus.CONFIRMED)
                .order_by("-date", "-pk")[:RECENT_MEETINGS]
            )
        return super().index(request, extra_context={**(extra_context or {}), "desk": desk})
