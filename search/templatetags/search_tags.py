from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def search_results(entries):
    """A page of results, each its title and link, its kind and context, and
    its snippet (already HTML, its text escaped): made here rather than by a
    template loop, since a full page of twenty cost as much to render as the
    search that found them."""
    return format_html_join(
        "\n",
        '<li class="app-search-result">\n'
        '<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="{}">{}</a></h3>\n'
        '<p class="govuk-body-s govuk-!-margin-bottom-1 app-meta"><strong>{}</strong>{}</p>\n'
        "{}\n</li>",
        (
            (
                entry.url,
                entry.title,
                entry.kind_label,
                format_html(" · {}", entry.context) if entry.context else "",
                format_html('<p class="govuk-body app-search-result__snippet">{}</p>', entry.snippet)
                if entry.snippet
                else "",
            )
            for entry in entries
        ),
    )
