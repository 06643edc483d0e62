"""
The pieces of the GOV.UK form pattern that templates/gds/ (the site's
overrides of crispy-forms-gds) draw with: the error summary over one or more
forms, the widget with its error class and aria-describedby, and the options
of radios and checkboxes.

Ids follow GOV.UK Frontend: a field's hint is "<id>-hint", its error
"<id>-error"; the first radio or checkbox carries the field's own id (the one
the error summary links to) and the others "<id>-2", "<id>-3"...
"""

from django import forms, template
from django.forms.widgets import Input

register = template.Library()

INPUT_CLASSES = {
    forms.Textarea: ("govuk-textarea", "govuk-textarea--error"),
    forms.Select: ("govuk-select", "govuk-select--error"),
    Input: ("govuk-input", "govuk-input--error"),
}


def error_links(form):
    """(id, message) of each error of a form, in the order of its fields."""
    fields = [field for field in form if not field.is_hidden]
    links = [(fields[0].auto_id, message) for message in form.non_field_errors()] if fields else []
    for field in fields:
        links += [(field.auto_id, message) for message in field.errors]
    return links


@register.inclusion_tag("gds/layout/_error_summary.html")
def govuk_error_summary(*forms_or_lists):
    """The GOV.UK error summary for the forms of a page, given one by one or
    as lists (the equality questions are one form each)."""
    links = []
    for item in forms_or_lists:
        for form in item if isinstance(item, list | tuple) else [item]:
            if form is not None and form.is_bound:
                links += error_links(form)
    return {"links": links}


@register.simple_tag
def govuk_widget(field):
    """The field's input, select or textarea with GOV.UK's classes and what
    it is described by: the character count's message, the hint, the error."""
    widget = field.field.widget
    base, error = next(
        (classes for kind, classes in INPUT_CLASSES.items() if isinstance(widget, kind)), ("", "")
    )
    own = widget.attrs.get("class", "")
    classes = [base, *own.split()] + ([error] if field.errors else [])
    described_by = []
    if "govuk-js-character-count" in own:
        described_by.append(f"{field.auto_id}-info")
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_options(field):
    """Each choice of a radios or checkboxes field as the template draws it:
    its id, whether it is ticked (from what was posted, or the initial
    answer), and what crispy_forms_gds.choices.Choice adds: a hint, a divider
    after it ("or"), "exclusive" (unticks the others) and "reveals" (the name
    of the form's field shown under it when it is ticked)."""
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    options = []
    for choice in field.field.choices:
        code, label = choice[0], choice[1]
        if code == "":
            continue  # a select's blank; radios say what no answer means
        number = len(options) + 1
        reveals = getattr(choice, "reveals", "")
        options.append(
            {
                "code": code,
                "label": label,
                "id": field.auto_id if number == 1 else f"{field.auto_id}-{number}",
                "checked": str(code) in chosen,
                "hint": getattr(choice, "hint", ""),
                "divider": getattr(choice, "divider", ""),
                "exclusive": getattr(choice, "exclusive", False),
                "revealed": field.form[reveals] if reveals else None,
            }
        )
    return options
