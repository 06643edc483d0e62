"""
Who may reach which records in the admin.

A clerk is assigned to one or more partnerships (Partnership.clerks) and, in
the admin, sees, edits and chooses only their records: every partnership-owned
ModelAdmin and inline takes `PartnershipScopedAdmin` and names the path from
its model to the partnership (`partnership_path = "meeting__partnership"`).
A site administrator (the "Site administrator" group, or a superuser) reaches
every partnership.

The rule is applied where each way in passes:

- get_queryset: lists, change and delete pages, actions (Django runs them on
  the queryset), list_editable rows, inline rows and the autocomplete (which
  searches the *target* admin's queryset), and simple-history's history pages.
- formfield_for_foreignkey / _manytomany: every drop-down and autocomplete
  field offers, and accepts, only records of the clerk's partnerships, so a
  form posted with another partnership's id (a tampered hidden value, an
  inline's `id` or foreign key) fails validation; get_list_filter: the
  "By partnership" filters list only theirs.
- has_*_permission(obj): a record reached another way (a history page of a
  deleted record, an inline's parent) is checked by walking its path.
- Another partnership's record asked for by URL is answered exactly as an id
  that does not exist (the admin's "perhaps it was deleted?" redirect, or a
  404 for history pages), so a clerk cannot learn which ids other
  partnerships hold.
- Inline rows: an inline form's hidden row id is checked against the rows of
  the record being edited, not the whole table, so a posted id that is not
  one of them, whether another partnership's or one that does not exist, gets
  the same form error (`RowsOfThisRecordFormSet`).
- save_model / save_formset / delete_queryset: a last check on what is about
  to be written, which should never fire once the above hold.

Shared directories (organisations, people) are not scoped: every
partnership's seats and minutes name them. The Clerk group may view, add and
change them but not delete them (partnerships/migrations/0004_staff_roles.py).
"""

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

SITE_ADMINISTRATOR = "Site administrator"
CLERK = "Clerk"
CONSULTATION_OFFICER = "Consultation officer"


def sees_every_partnership(user):
    if not user.is_active:
        return False
    if not hasattr(user, "_sees_every_partnership"):
        user._sees_every_partnership = (
            user.is_superuser or user.groups.filter(name=SITE_ADMINISTRATOR).exists()
        )
    return user._sees_every_partnership


def clerked_partnership_ids(user):
    if not hasattr(user, "_clerked_partnership_ids"):
        user._clerked_partnership_ids = (
            set(user.clerked_partnerships.values_list("pk", flat=True)) if user.is_authenticated else set()
        )
    return user._clerked_partnership_ids


def restrict(user, queryset, partnership_path):
    """`queryset` cut down to the records of the user's partnerships."""
    if sees_every_partnership(user):
        return queryset
    return queryset.filter(**{f"{partnership_path}__in": clerked_partnership_ids(user)})


def partnership_id_of(obj, partnership_path):
    """Follow the path on the object as it is in memory (a record about to
    be saved, or an old version from the history); None if it leads nowhere."""
    *steps, last = partnership_path.split("__")
    try:
        for step in steps:
            obj = getattr(obj, step)
            if obj is None:
                return None
        return obj.pk if last == "pk" else getattr(obj, f"{last}_id")
    except ObjectDoesNotExist:
        return None


NOT_A_ROW_OF_THIS_RECORD = (
    "A row on this form is not part of this record: it may have been deleted since the page was "
    "opened. Open the page again and make your changes there."
)


class RowsOfThisRecordFormSet:
    """Mixed into an inline's formset: a row's hidden id must be one of the
    rows of the record being edited. Django checks it against the whole
    table, and skips the check for rows ticked for deletion, so another
    partnership's id and an id that does not exist were answered apart."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if form.is_bound and pk_name in form.fields and hasattr(form.fields[pk_name], "queryset"):
            form.fields[pk_name].queryset = self.get_queryset()

    def clean(self):
        super().clean()
        pk_name = self.model._meta.pk.name
        for form in self.initial_forms:
            if form.instance.pk is None and form.data.get(form.add_prefix(pk_name)):
                raise ValidationError(NOT_A_ROW_OF_THIS_RECORD)


class PartnershipScopedAdmin:
    """Mix into a ModelAdmin or inline whose records belong to a partnership."""

    partnership_path = None  # for example "partnership", "meeting__partnership"; "pk" for Partnership

    def _scoped_admin_for(self, model):
        model_admin = self.admin_site._registry.get(model)
        return model_admin if isinstance(model_admin, PartnershipScopedAdmin) else None

    def may_reach(self, request, obj, model_admin=None):
        """May the user reach `obj` (a record of this admin's model, or of
        another scoped admin's)?"""
        if obj is None or sees_every_partnership(request.user):
            return True
        model_admin = model_admin or self._scoped_admin_for(type(obj))
        if model_admin is None:
            return True
        return partnership_id_of(obj, model_admin.partnership_path) in clerked_partnership_ids(request.user)

    def _may_reach_for_permission(self, request, obj):
        # An inline is asked about its parent record, an admin about its own.
        if isinstance(self, InlineModelAdmin):
            return self.may_reach(request, obj)
        return self.may_reach(request, obj, model_admin=self)

    def get_queryset(self, request):
        return restrict(request.user, super().get_queryset(request), self.partnership_path)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to a record's last historical version
        # when get_queryset does not hold it, and then refuses it. Someone
        # who may read this kind of record is told "not found", as for an id
        # that never existed, so no one learns what another partnership has.
        try:
            return super().history_view(request, object_id, extra_context)
        except PermissionDenied:
            if self.has_view_permission(request):
                raise Http404 from None
            raise

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if sees_every_partnership(request.user):
            return filters
        # A clerk's "By partnership" filter lists only their partnerships.
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if isinstance(name, str) and name.split("__")[-1] == "partnership"
            else name
            for name in filters
        ]

    def _restrict_choices(self, request, formfield, model):
        model_admin = self._scoped_admin_for(model)
        if formfield is not None and model_admin is not None:
            formfield.queryset = restrict(request.user, formfield.queryset, model_admin.partnership_path)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._restrict_choices(request, formfield, db_field.related_model)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._restrict_choices(request, formfield, db_field.related_model)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_reach_for_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_reach_for_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_reach_for_permission(request, obj)

    def _refuse_unless_reachable(self, request, obj):
        if not self.may_reach(request, obj):
            raise PermissionDenied("This record belongs to a partnership you are not a clerk of.")

    def save_model(self, request, obj, form, change):
        self._refuse_unless_reachable(request, obj)
        super().save_model(request, obj, form, change)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (RowsOfThisRecordFormSet, formset), {})

    def save_formset(self, request, form, formset, change):
        pk_name = formset.model._meta.pk.name
        for inline_form in formset.forms:
            posted = inline_form.data.get(inline_form.add_prefix(pk_name))
            if inline_form in formset.initial_forms and inline_form.instance.pk is None and posted:
                raise PermissionDenied("The form names a row that is not part of this record.")
            if inline_form.has_changed():
                # New rows are tied to their parent only as they are saved.
                setattr(inline_form.instance, formset.fk.name, formset.instance)
                self._refuse_unless_reachable(request, inline_form.instance)
        super().save_formset(request, form, formset, change)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._refuse_unless_reachable(request, obj)
        super().delete_queryset(request, queryset)

    def revert_disabled(self, request, obj=None):
        # simple-history's history pages are for reading; changes go through
        # the record's own form, where the scope and the minutes lock apply.
        return True
