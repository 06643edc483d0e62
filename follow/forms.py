from django import forms

from partnerships.models import Partnership

from .models import Subscription


class PartnershipField(forms.ModelChoiceField):
    def to_python(self, value):
        # A NUL byte cannot reach PostgreSQL; it is simply not a partnership.
        if value and "\x00" in str(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    kind = forms.ChoiceField(
        choices=Subscription.Kind.choices,
        error_messages={
            "required": "Select what you want emails about",
            "invalid_choice": "Select what you want emails about",
        },
    )
    partnership = PartnershipField(
        queryset=Partnership.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Choose a partnership from the list"},
    )
    query = forms.CharField(
        max_length=200,
        required=False,
        strip=True,
        error_messages={"max_length": "Search for 200 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Subscription.Kind.SEARCH and not data.get("query"):
            self.add_error("query", "Enter the words to search for")
        if data.get("kind") != Subscription.Kind.SEARCH:
            data["query"] = ""
        return data

    def error_list(self):
        """(field id, message) for the GOV.UK error summary."""
        ids = {"email": "email", "kind": "kind", "partnership": "partnership", "query": "query"}
        return [
            (ids.get(name, "email"), message)
            for name, messages in self.errors.items()
            for message in messages
        ]
