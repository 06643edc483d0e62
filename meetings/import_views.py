"""
The clerk's "Import minutes" page in the admin: upload a Word file or paste
the text of minutes, see what was read (and what could not be placed), then
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
from .importers.docx import docx_text
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
        label="Word document or text file",
        help_text="A .docx or .txt file of the minutes.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
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
        name = upload.name.lower()
        try:
            if name.endswith(".docx"):
                return docx_text(upload)
            if name.endswith(".txt"):
                return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The text file is not in UTF-8; save it as UTF-8 or paste its text."
            ) from error
        except Exception as error:  # python-docx raises several kinds for a damaged file
            raise forms.ValidationError(
                "This Word file could not be read; paste its text instead."
            ) from error
        raise forms.ValidationError("Upload a Word document (.docx) or a text file (.txt).")

    def clean(self):
        data = super().clean()
        text = data.get("document") or data.get("text", "")
        if not text.strip() and not self.errors:
            raise forms.ValidationError("Upload the minutes or paste their text.")
        data["text"] = text
        return data


def import_minutes(request):
    if not request.user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    form = ImportMinutesForm(request.POST or None, request.FILES or None, user=request.user)
    parsed = existing = None
    if request.method == "POST" and form.is_valid():
        partnership = form.cleaned_data["partnership"]
        text = form.cleaned_data["text"]
        parsed = parse_text(text)
        error = None
        if parsed.date:
            existing = Meeting.objects.filter(partnership=partnership, date=parsed.date).first()
        if parsed.date is None:
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
        "existing": existing,
        "opts": Meeting._meta,
    }
    return TemplateResponse(request, "meetings/admin/import_minutes.html", context)
