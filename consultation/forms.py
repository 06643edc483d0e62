"""
One form per question, built from the Question row. The cleaned value of
every form is the same small dict, {"codes": [...], "text": "..."}, which is
what the session keeps between pages and what Consultation.record_response
saves. The forms are drawn by crispy-forms-gds ({% crispy form %}) with the
site's GOV.UK templates (templates/gds/): radios and checkboxes with an
"Other" answer's box revealed under it and an "or" before an exclusive answer.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Div, Field, Size
from django import forms

from foundation.govuk_forms import GovukForm

from .models import Question, Response, normalise_postcode


class AnswerForm(GovukForm, forms.Form):
    """`heading`: the question is the page's h1 (one question per page, as
    GOV.UK's question pages ask); otherwise one of several on the page."""

    def __init__(self, question, *args, heading=False, **kwargs):
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        required = question.required and not question.equality_monitoring
        missing = {"required": question.missing_message()}
        text = {"label": question.text, "help_text": question.hint}
        size = Size.LARGE if heading else Size.MEDIUM
        tag = "h1" if heading else None
        if question.kind in (Question.Kind.SINGLE, Question.Kind.DISTRICT):
            self.fields["answer"] = forms.ChoiceField(
                choices=self.choices(),
                widget=forms.RadioSelect,
                required=required,
                error_messages={**missing, "invalid_choice": "Select one of the options"},
                **text,
            )
            layout = Field.radios("answer", legend_size=size, legend_tag=tag)
        elif question.kind == Question.Kind.MULTIPLE:
            self.fields["answer"] = forms.MultipleChoiceField(
                choices=self.choices(),
                widget=forms.CheckboxSelectMultiple,
                required=required,
                error_messages={**missing, "invalid_choice": "Select from the options listed"},
                **text,
            )
            layout = Field.checkboxes("answer", legend_size=size, legend_tag=tag)
        elif question.kind == Question.Kind.TEXT:
            self.fields["answer"] = forms.CharField(
                widget=forms.Textarea,
                required=required,
                max_length=question.max_length,
                error_messages={
                    **missing,
                    "max_length": f"Your answer must be {question.max_length:,} characters or fewer",
                },
                **text,
            )
            layout = Field.textarea(
                "answer", label_size=size, label_tag=tag, rows=5, max_characters=question.max_length
            )
        else:
            self.fields["answer"] = forms.CharField(
                required=required, max_length=20, error_messages=missing, **text
            )
            layout = Field.text(
                "answer",
                label_size=size,
                label_tag=tag,
                field_width=10,
                autocomplete="postal-code",
                spellcheck="false",
            )
        self.other_code = question.other_code() if question.is_choice else None
        if self.other_code:
            # Drawn under the "Other" choice (Choice(reveals="other")), not on its own.
            self.fields["other"] = forms.CharField(
                label="Please specify",
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
                error_messages={"max_length": "What you tell us must be 200 characters or fewer"},
            )
        self.lay_out(layout)

    def choices(self):
        """The question's choices with what the template draws beside them:
        a hint, "or" before an exclusive answer, the "Other" box."""
        question = self.question
        if question.kind == Question.Kind.DISTRICT:
            pairs = question.choice_pairs()
            # "Prefer not to say", last, after an "or".
            return [
                Choice(code, label, divider="or" if number == len(pairs) - 1 else "")
                for number, (code, label) in enumerate(pairs, start=1)
            ]
        rows = list(question.choices.all())
        return [
            Choice(
                row.code,
                row.label,
                hint=row.hint,
                exclusive=row.is_exclusive,
                reveals="other" if row.is_other else "",
                divider="or" if later is not None and later.is_exclusive else "",
            )
            for row, later in zip(rows, [*rows[1:], None], strict=True)
        ]

    def clean_answer(self):
        value = self.cleaned_data["answer"]
        question = self.question
        if question.kind == Question.Kind.POSTCODE and value:
            postcode = normalise_postcode(value)
            if postcode is None:
                raise forms.ValidationError("Enter a full UK postcode, like L1 8JQ")
            return postcode
        if question.kind == Question.Kind.MULTIPLE and value:
            exclusive = {c.code for c in question.choices.all() if c.is_exclusive}
            if len(value) > 1 and exclusive.intersection(value):
                raise forms.ValidationError("Select either an exclusive answer or the others, not both")
            if question.max_choices and len(value) > question.max_choices:
                raise forms.ValidationError(f"Select no more than {question.max_choices}")
            if (
                question.min_choices
                and len(value) < question.min_choices
                and not exclusive.intersection(value)
            ):
                raise forms.ValidationError(f"Select at least {question.min_choices}")
        return value

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("answer")
        chosen = chosen if isinstance(chosen, list) else [chosen] if chosen else []
        told = cleaned.get("other", "").strip() or "other" in self.errors  # too long, say so only
        if self.other_code and self.other_code in chosen and not told:
            self.add_error("other", "Tell us what your other answer is")
        return cleaned

    @property
    def value(self):
        """The answer as the session keeps it."""
        answer = self.cleaned_data.get("answer")
        if self.question.is_choice:
            codes = answer if isinstance(answer, list) else [answer] if answer else []
            other = self.cleaned_data.get("other", "").strip() if self.other_code in codes else ""
            return {"codes": codes, "text": other}
        return {"codes": [], "text": (answer or "").strip()}

    @classmethod
    def initial_from(cls, value):
        """Form initial data from a session value, so that going back (or a
        Change link) shows what the resident chose."""
        if not value:
            return {}
        return {"answer": value.get("codes") or value.get("text", ""), "other": value.get("text", "")}


class SubmitForm(GovukForm, forms.Form):
    """The final "send" button's form: the honeypot, a field hidden from
    people and screen readers (.app-honeypot), filled in only by bots."""

    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lay_out(Div(Field.text("website", autocomplete="off", tabindex="-1"), css_class="app-honeypot"))

    def is_bot(self):
        return bool(self.is_valid() and self.cleaned_data["website"])


class KeyedInForm(GovukForm, forms.Form):
    """A paper, phone or event response typed in by staff."""

    channel = forms.ChoiceField(
        label="How did the response come in?",
        choices=[c for c in Response.Channel.choices if c[0] != Response.Channel.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the response came in"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lay_out(Field.radios("channel", legend_size=Size.MEDIUM, small=True))
