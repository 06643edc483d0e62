"""
The clerk's "Import minutes" page in the admin: upload a Word file, a PDF, a
ModernGov page saved as HTML or a text file, or paste the text of minutes, see what was read (and what could not be placed), then
open the draft in the minutes editor, where the clerk reviews everything and
saves it (meetings/editor.py); nothing is saved here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from partnerships.admin_scope import clerked_partnership_ids, sees_every_partnership
from partnerships.models import Partnership

from .documents import max_bytes, size_display
from .editor import editor_view
from .importers.formats import ACCEPTED, EXTENSIONS, NotMinutes, read_upload
from .importers.limits import ImportLimit, check_text
from .importers.names import name_links
from .importers.review import editor_draft
from .importers.text import parse_text
from .models import Meeting


def partnerships_for(user):
    if sees_every_partnership(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=clerked_partnership_ids(user))


class ImportMinutesForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none())
    document = forms.FileField(
        required=False,
        label="The minutes as a file",
        help_text="A Word document (.docx), a PDF of the signed minutes, a ModernGov "
        "\u201cagenda and minutes\u201d page saved from the browser (.html), or a text file (.txt).",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    text = forms.CharField(
        required=False,
        label="Or the text of the minutes",
        help_text="Paste the minutes here. After an upload, the document's text is here for you to correct.",
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = partnerships_for(user)
        self.fields["partnership"].queryset = choices
        # A clerk who serves one partnership need not choose it.
        only = list(choices[:2])
        if len(only) == 1:
            self.fields["partnership"].initial = only[0].pk

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        if upload.size > max_bytes():
            raise forms.ValidationError(f"The file is larger than {size_display(max_bytes())}.")
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(f"Upload {ACCEPTED}.")
        try:
            return read_upload(upload.name, upload)
        except ImportLimit as error:
            raise forms.ValidationError(f"{upload.name} was not read: {error}") from error
        except NotMinutes as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        read = data.get("document")
        text = read.text if read else data.get("text", "")
        if not text.strip() and not self.errors:
            raise forms.ValidationError("Upload the minutes or paste their text.")
        data["text"] = text
        # An upload is read from the file itself (its paragraphs, lists and
        # links); pasted or corrected text from the text.
        data["parsed"] = read.parsed if read else None
        return data

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        try:
            return check_text(text)
        except ImportLimit as error:
            raise forms.ValidationError(str(error)) from error


def import_minutes(request):
    if not request.user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    form = ImportMinutesForm(request.POST or None, request.FILES or None, user=request.user)
    parsed = existing = None
    if request.method == "POST" and form.is_valid():
        partnership = form.cleaned_data["partnership"]
        text = form.cleaned_data["text"]
        error = None
        try:
            parsed = form.cleaned_data["parsed"] or parse_text(text)
        except ImportLimit as limit:
            error = ("text", str(limit))
        if parsed is not None and parsed.date:
            existing = Meeting.objects.filter(partnership=partnership, date=parsed.date).first()
        if parsed is None:
            pass
        elif parsed.date is None:
            error = ("text", "No date of the meeting was found in the minutes; add it at the top.")
        elif existing and existing.minutes_are_locked and not sees_every_partnership(request.user):
            error = (
                None,
                f"The minutes of {existing} are confirmed; only a site administrator may change them.",
            )
        elif "edit" in request.POST:
            # The clerk reviews and saves the whole draft in the editor.
            draft = editor_draft(parsed, partnership, existing)
            return editor_view(
                request,
                object_id=existing.pk if existing else None,
                model_admin=admin.site.get_model_admin(Meeting),
                draft=draft,
            )
        # Whatever was uploaded is now text in the form, to save or correct.
        form = ImportMinutesForm({"partnership": partnership.pk, "text": text}, user=request.user)
        form.is_valid()
        if error:
            form.add_error(*error)
    context = {
        **admin.site.each_context(request),
        "title": "Import minutes",
        "form": form,
        "parsed": parsed,
        "names": name_links(parsed) if parsed else [],
        "existing": existing,
        "opts": Meeting._meta,
    }
    return TemplateResponse(request, "meetings/admin/import_minutes.html", context)
