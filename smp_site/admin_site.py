"""
The staff admin's site: Django's, with its sign-in page and two-factor
sign-in as smp_site.two_factor explains, and its "view on site" redirects
(/admin/r/<content type>/<id>/) scoped like every other admin page.

Django's redirect looks the record up in the whole table, so a clerk could
learn that another partnership's record exists, and where it is published
(a document's file name, say). Here the record must be one the staff member
may see in the admin (the queryset of the model's admin, or of the inline
that edits it: partnerships.admin_scope); any other id is answered exactly
as one that does not exist.
"""

from django.contrib.admin import AdminSite
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path

from . import two_factor
from .clerks_desk import ClerksDeskMixin


class ScopedViewOnSiteMixin:
    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def visible_queryset(self, request, model):
        """The records of `model` this staff member may see in the admin, or
        None if no admin page shows that model to them."""
        model_admin = self._registry.get(model)
        if model_admin is not None:
            return (
                model_admin.get_queryset(request)
                if model_admin.has_view_or_change_permission(request)
                else None
            )
        for parent_admin in self._registry.values():
            for inline_class in parent_admin.inlines:
                if inline_class.model is model:
                    inline = inline_class(parent_admin.model, self)
                    if inline.has_view_or_change_permission(request):
                        return inline.get_queryset(request)
        return None

    def view_on_site(self, request, content_type_id, object_id):
        missing = Http404(f"Content type {content_type_id} object {object_id} doesn’t exist")
        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
        except (ContentType.DoesNotExist, ValueError):
            raise missing from None
        model = content_type.model_class()
        queryset = self.visible_queryset(request, model) if model is not None else None
        try:
            visible = queryset is not None and queryset.filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        if not visible:
            raise missing
        return shortcut(request, content_type_id, object_id)


class StaffAdminSite(ClerksDeskMixin, ScopedViewOnSiteMixin, AdminSite):
    """Open to active staff who have done all that signing in asks of them:
    a code from their app if they have set one up, or if STAFF_TWO_FACTOR
    is on. Its index is the clerk's front door (smp_site.clerks_desk)."""

    index_template = "admin/clerks_desk_index.html"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.two_factor_satisfied(request)

    def login(self, request, extra_context=None):
        return two_factor.SignInView.as_view()(request)
