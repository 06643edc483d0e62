from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from smp_site.dates import govuk_date as format_govuk_date

register = template.Library()


@register.filter
def govuk_date(value, style="date"):
    """A date or time as GOV.UK writes it; see smp_site/dates.py for the styles."""
    return format_govuk_date(value, style)


@register.simple_tag
def crumb(label, href):
    """One item of the GOV.UK breadcrumbs in base.html's `crumbs` block."""
    return format_html(
        '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="{}">{}</a></li>',
        href,
        label,
    )


def lines(text):
    """One paragraph's text, escaped, its single line breaks kept as <br>."""
    return mark_safe("<br>".join(conditional_escape(line) for line in text.split("\n")))  # noqa: S308 (escaped)


def as_paragraphs(text, render=lines):
    """Plain text typed by a clerk, as GOV.UK paragraphs: a blank line starts
    a new paragraph; `render` makes each one's HTML and must escape it."""
    blocks = (block.strip() for block in str(text or "").replace("\r\n", "\n").split("\n\n"))
    return format_html_join(
        "\n", '<p class="govuk-body">{}</p>', ((render(block),) for block in blocks if block)
    )


@register.filter
def paragraphs(text):
    """Clerk-typed text as paragraphs, a single line break staying a line
    break. Everything is escaped, so no markup a clerk types reaches a
    visitor."""
    return as_paragraphs(text)
