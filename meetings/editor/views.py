"""The editor's pages: the screen itself, its addresses in the admin, and
the minutes as a PDF for the chair to sign."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from ..agenda_pack import render_minutes
from ..models import (
    Meeting,
)
from .data import EditorItem, EditorMeeting
from .forms import (
    EDITOR_TRANSITIONS,
    NEW_MEETING_ITEMS,
    SAVE_AND,
    ItemFormSet,
    OtherFormSet,
    govuk_widgets,
    unknown_start_message,
)
from .state import Editor, as_int, data_from_meeting, state_from_data
from .write import save

# The button that makes the pasted names rows without saving.
FILL_ROWS = "fill"


def editor_urls(model_admin):
    """The editor's addresses, under the meeting admin's."""
    wrap = model_admin.admin_site.admin_view
    return [
        path(
            "editor/", wrap(partial(editor_view, model_admin=model_admin)), name="meetings_meeting_editor_add"
        ),
        path(
            "<path:object_id>/editor/",
            wrap(partial(editor_view, model_admin=model_admin)),
            name="meetings_meeting_editor",
        ),
        path(
            "<path:object_id>/editor/minutes.pdf",
            wrap(partial(minutes_pdf_view, model_admin=model_admin)),
            name="meetings_meeting_minutes_pdf",
        ),
    ]


def minutes_pdf_view(request, object_id, *, model_admin):
    """The minutes as a PDF for the chair to sign: staff only, made when asked."""
    meeting = model_admin.get_queryset(request).filter(pk=as_int(object_id) or 0).first()
    if meeting is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not model_admin.has_view_permission(request, meeting):
        raise PermissionDenied
    response = HttpResponse(render_minutes(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.date:%Y-%m-%d}.pdf"'
    return response


def editor_view(request, object_id=None, *, model_admin, draft=None):
    meeting = None
    if object_id is not None:
        meeting = (
            model_admin.get_queryset(request)
            .filter(pk=as_int(object_id) or 0)
            .select_related("partnership")
            .prefetch_related(
                "items__resolutions",
                "items__presenter",
                "items__documents",
                "attendances",
                "declarations__item",
            )
            .first()
        )
        if meeting is None:
            # Another partnership's meeting is answered as an unknown id.
            return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
        if not model_admin.has_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.minutes_are_locked:
            messages.warning(
                request,
                "These minutes are confirmed: they are the legal record. A site administrator amends them on "
                "this page, giving the reason.",
            )
            return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied

    editor = Editor(request, model_admin, meeting)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        filled = editor.fill_from_lists()
        if filled.names:
            messages.info(request, filled.message())
    if action == "save" or action.startswith(SAVE_AND):
        transition = action.removeprefix(SAVE_AND) if action != "save" else None
        if transition is not None and transition not in EDITOR_TRANSITIONS:
            raise PermissionDenied("The editor offers no such transition.")
        editor.build_forms(bound=True)
        editor.ask_for_the_first_number()
        if editor.all_valid():
            saved = save(editor, transition)
            if saved is not None:
                done = f"Saved the meeting of {saved.date:%-d %B %Y}"
                if transition is not None:
                    done += f" and {EDITOR_TRANSITIONS[transition].removeprefix('Save and ')}"
                messages.success(request, done + ".")
                return redirect(reverse("admin:meetings_meeting_editor", args=[saved.pk]))
    else:
        if action:
            state = editor.state_from_post()
            if action != FILL_ROWS:
                editor.apply(action, state)
        else:
            state = state_from_data(draft or initial_data(editor, meeting))
        editor.build_forms(state)
    # What an importer could not place stays on the screen until saved.
    editor.unplaced = draft.unplaced if draft else editor.data.getlist("unplaced")
    # As the admin's own forms: the page with its errors is a 200.
    return render(request, "meetings/editor/editor.html", context(editor))


def transition_buttons(meeting):
    """The publishing buttons the meeting's state allows (a new meeting is
    a draft), from the meeting's one table of transitions: each saves the
    form and runs its transition in one operation. The guards that depend
    on what is typed, such as the date, answer when pressed."""
    meeting = meeting or Meeting()
    return [(SAVE_AND + name, label) for name, label in EDITOR_TRANSITIONS.items() if meeting.may_run(name)]


def initial_data(editor, meeting):
    if meeting is None:
        # A clerk of one partnership need not choose it; a link from the
        # admin's index or a partnership's page names the one meant.
        named = as_int(editor.request.GET.get("partnership"))
        if named and editor.partnerships.filter(pk=named).exists():
            partnership_id = named
        else:
            partnerships = list(editor.partnerships[:2])
            partnership_id = partnerships[0].pk if len(partnerships) == 1 else None
        return EditorMeeting(
            partnership_id=partnership_id,
            items=[EditorItem() for _ in range(NEW_MEETING_ITEMS)],
        )
    next_meeting = (
        Meeting.objects.filter(partnership_id=meeting.partnership_id, date__gt=meeting.date)
        .order_by("date")
        .first()
    )
    return data_from_meeting(meeting, next_meeting)


# A meeting of more items than this shows its saved items collapsed to their
# titles, so that the page is a list of the agenda to open where needed.
OPEN_ITEMS = 4


def context(editor):
    forms_ = editor.forms
    forms_["details"].fields["first_minute_number"].help_text = numbering_note(editor)
    for form in [
        forms_["details"],
        *forms_["items"].forms,
        *forms_["others"].forms,
        *forms_["declarations"].forms,
        *(form for _, _, form in forms_["members"]),
    ]:
        govuk_widgets(form)
    meeting = editor.meeting
    documents = {}
    if meeting is not None:
        for item in meeting.items.all():
            documents[item.pk] = list(item.documents.all())
    item_rows = []
    for index, form in enumerate(forms_["items"].forms):
        item_id = as_int(form["id"].value())
        item_rows.append(
            {
                "index": index,
                "form": form,
                "documents": documents.get(item_id, []),
                "open": not item_id or len(forms_["items"].forms) <= OPEN_ITEMS or bool(form.errors),
            }
        )
    last = editor.last_meeting(editor.partnership, editor.day)
    # Blank rows for the page's script to add without a round trip.
    people = forms_["others"].form_kwargs["people_choices"]
    blank_item = ItemFormSet(prefix="items", form_kwargs={"people_choices": people}).empty_form
    blank_other = OtherFormSet(prefix="others", form_kwargs={"people_choices": people}).empty_form
    govuk_widgets(blank_item)
    govuk_widgets(blank_other)
    return {
        "title": "Minutes editor",
        "meeting": meeting,
        "details": forms_["details"],
        "items_formset": forms_["items"],
        "item_rows": item_rows,
        "members": forms_["members"],
        "others": forms_["others"],
        "declarations": forms_["declarations"],
        "errors": editor.error_list(),
        "partnership": editor.partnership,
        "last_meeting": last,
        "admin_change_url": reverse("admin:meetings_meeting_change", args=[meeting.pk]) if meeting else None,
        # The form posts to the editor's own address, also when an importer
        # showed it (from the "Import minutes" page).
        "form_action": reverse("admin:meetings_meeting_editor", args=[meeting.pk])
        if meeting
        else reverse("admin:meetings_meeting_editor_add"),
        "transition_buttons": transition_buttons(meeting),
        "unplaced": editor.unplaced,
        "numbering": numbering_note(editor),
        "blank_item": blank_item,
        "blank_other": blank_other,
        "fill_rows": FILL_ROWS,
    }


def numbering_note(editor):
    """Where the minutes' numbers start, for the hint beside the first
    minute number: on from the partnership's last minute of the municipal
    year, or asked for where the site holds none of that year."""
    partnership, day = editor.partnership, editor.day
    if partnership is None or not day:
        return (
            "Leave it blank to number on from the partnership’s last minute of the municipal year on the "
            "site."
        )
    last = editor.last_minute(partnership, day)
    if last is None:
        return unknown_start_message(partnership, day)
    return (
        f"Leave it blank to number on from Minute No. {last.minute_number} of the meeting of "
        f"{last.meeting.date:%-d %B %Y}: the first item is then Minute No. {last.minute_number + 1}."
    )
