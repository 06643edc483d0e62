"""What the staff admin classes of several apps share."""


class RecordAdminMixin:
    """A record the site writes itself (a deletion, an amendment): staff may
    read it, nobody adds, changes or deletes it, whatever their role."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
