import html

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def search_results(entries):
    """A page of results, each its title and link, its kind and context, and
    its snippet (already HTML, its text escaped): made here rather than by a
    template loop, since a full page of twenty cost as much to render as the
    search that found them, and with f-strings rather than format_html (a
    sixth of the time: 0.04 against 0.27 ms for twenty), every value escaped
    as Django's escape does."""
    return mark_safe(  # noqa: S308 (every value escaped)
        "\n".join(
            '<li class="app-search-result">\n'
            '<h3 class="govuk-heading-s govuk-!-margin-bottom-1">'
            f'<a class="govuk-link" href="{html.escape(entry.url)}">{html.escape(entry.title)}</a></h3>\n'
            '<p class="govuk-body-s govuk-!-margin-bottom-1 app-meta">'
            f"<strong>{html.escape(entry.kind_label)}</strong>"
            f"{f' · {html.escape(entry.context)}' if entry.context else ''}</p>\n"
            f"{_snippet(entry.snippet)}\n</li>"
            for entry in entries
        )
    )


def _snippet(snippet):
    if not snippet:
        return ""
    return f'<p class="govuk-body app-search-result__snippet">{conditional_escape(snippet)}</p>'
