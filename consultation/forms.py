"""
One form per question, built from the Question row. The cleaned value of
every form is the same small dict, {"codes": [...], "text": "..."}, which is
what the session keeps between pages and what Consultation.record_response
saves. The templates write the GOV.UK markup by hand (templates/consultation/
_question.html): radios with an "Other" reveal and an "or" divider are
clearer there than through a template pack.
"""

from django import forms

from .models import Question, Response, normalise_postcode


class AnswerForm(forms.Form):
    def __init__(self, question, *args, **kwargs):
        kwargs.setdefault("prefix", f"q{question.pk}")
        super().__init__(*args, **kwargs)
        self.question = question
        required = question.required and not question.equality_monitoring
        missing = {"required": question.missing_message()}
        if question.kind in (Question.Kind.SINGLE, Question.Kind.DISTRICT):
            self.fields["answer"] = forms.ChoiceField(
                choices=question.choice_pairs(),
                required=required,
                error_messages={**missing, "invalid_choice": "Select one of the options"},
            )
        elif question.kind == Question.Kind.MULTIPLE:
            self.fields["answer"] = forms.MultipleChoiceField(
                choices=question.choice_pairs(),
                required=required,
                error_messages={**missing, "invalid_choice": "Select from the options listed"},
            )
        elif question.kind == Question.Kind.TEXT:
            self.fields["answer"] = forms.CharField(
                required=required,
                max_length=question.max_length,
                error_messages={
                    **missing,
                    "max_length": f"Your answer must be {question.max_length:,} characters or fewer",
                },
            )
        else:
            self.fields["answer"] = forms.CharField(required=required, max_length=20, error_messages=missing)
        self.other_code = question.other_code() if question.is_choice else None
        if self.other_code:
            self.fields["other"] = forms.CharField(
                required=False,
                max_length=200,
                error_messages={"max_length": "What you tell us must be 200 characters or fewer"},
            )

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
        if self.other_code and self.other_code in chosen and not cleaned.get("other", "").strip():
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

    def field_id(self):
        """The id the error summary links to: the first input."""
        return f"{self.prefix}-answer"

    def chosen_codes(self):
        """What is ticked, whether from the resident's post or the session."""
        if self.is_bound:
            data = self.data.getlist(self.add_prefix("answer"))
        else:
            initial = self.initial.get("answer")
            data = initial if isinstance(initial, list) else [initial] if initial else []
        return set(data)

    def options(self):
        """Each choice as the template draws it, ticked as last answered."""
        chosen = self.chosen_codes()
        if self.question.kind == Question.Kind.DISTRICT:
            choices = [{"code": code, "label": label} for code, label in self.question.choice_pairs()]
            choices[-1]["is_exclusive"] = True  # "Prefer not to say" after an "or"
        else:
            choices = [
                {
                    "code": c.code,
                    "label": c.label,
                    "hint": c.hint,
                    "is_other": c.is_other,
                    "is_exclusive": c.is_exclusive,
                }
                for c in self.question.choices.all()
            ]
        for number, choice in enumerate(choices, start=1):
            choice["id"] = self.field_id() if number == 1 else f"{self.field_id()}-{number}"
            choice["checked"] = choice["code"] in chosen
        return choices

    def error_links(self):
        """(id, message) for the GOV.UK error summary, in page order."""
        links = [(self.field_id(), e) for e in self.errors.get("answer", [])]
        links += [(f"{self.prefix}-other", e) for e in self.errors.get("other", [])]
        return links

    def typed(self, name="answer"):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        value = self.initial.get(name, "")
        return value if isinstance(value, str) else ""

    @property
    def typed_answer(self):
        return self.typed("answer")

    @property
    def typed_other(self):
        return self.typed("other")


class SubmitForm(forms.Form):
    """The final "send" button's form: the honeypot a person never sees."""

    website = forms.CharField(required=False)

    def is_bot(self):
        return bool(self.is_valid() and self.cleaned_data["website"])


class KeyedInForm(forms.Form):
    """A paper, phone or event response typed in by staff."""

    channel = forms.ChoiceField(
        choices=[c for c in Response.Channel.choices if c[0] != Response.Channel.ONLINE],
        error_messages={"required": "Select how the response came in"},
    )
