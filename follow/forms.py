from crispy_forms_gds.layout import Field, Size
from django import forms

from foundation.govuk_forms import GovukForm
from partnerships.models import Partnership

from .models import Subscription


class PartnershipField(forms.ModelChoiceField):
    def to_python(self, value):
        # A NUL byte cannot reach PostgreSQL; it is simply not a partnership.
        if value and "\x00" in str(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SubscribeForm(GovukForm, forms.Form):
    # In the order of the page, which the error summary follows.
    kind = forms.ChoiceField(
        label="What do you want emails about?",
        choices=Subscription.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you want emails about",
            "invalid_choice": "Select what you want emails about",
        },
    )
    partnership = PartnershipField(
        label="Partnership",
        queryset=Partnership.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All partnerships",
        error_messages={"invalid_choice": "Choose a partnership from the list"},
    )
    query = forms.CharField(
        label="Search words",
        help_text="Only for new results for a search, for example knife crime.",
        max_length=200,
        required=False,
        strip=True,
        error_messages={"max_length": "Search for 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send you a link to confirm it is yours.",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lay_out(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("partnership", context={"label_size": Size.for_label(Size.SMALL)}),
            Field.text("query", label_size=Size.SMALL),
            Field.text("email", label_size=Size.SMALL, autocomplete="email", spellcheck="false"),
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Subscription.Kind.SEARCH and not data.get("query"):
            self.add_error("query", "Enter the words to search for")
        if data.get("kind") != Subscription.Kind.SEARCH:
            data["query"] = ""
        return data
