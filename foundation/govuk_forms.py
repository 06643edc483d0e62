"""
What every public form shares so that crispy-forms-gds draws it in the GOV.UK
pattern the site uses: ids without Django's "id_" prefix (the error summary's
links and the tests name fields by them), no browser validation (errors come
from the server, in the error summary and beside the field), and no maxlength
(GOV.UK asks to let people type too much and then say so; the character count
shows the limit as they type).

The pack's templates that draw a field, its errors and the error summary are
overridden in templates/gds/ (see docs/development.md, "Forms").
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout


class GovukForm:
    """Mixed into a django.forms.Form, before it; the form calls lay_out()
    once its fields are built."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def lay_out(self, *fields):
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        self.helper = FormHelper()
        # The page draws the <form> itself (its buttons, the honeypot, several
        # forms in one) and the error summary above its heading.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*fields)
