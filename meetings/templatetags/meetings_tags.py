import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _lines(text):
    return mark_safe("<br>".join(conditional_escape(line) for line in text.split("\n")))


@register.filter
def linked_paragraphs(text, references):
    """Clerk-typed text as GOV.UK paragraphs (escaped, like `paragraphs`),
    with each reference to a minute the site holds made a link. The
    references were found when the item was saved (ItemReference), so this
    needs no query."""
    links = {ref.text: ref.to_item.get_absolute_url() for ref in references if ref.to_item_id}
    pattern = re.compile("|".join(re.escape(key) for key in sorted(links, key=len, reverse=True)))
    paragraphs = []
    for block in str(text or "").replace("\r\n", "\n").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        parts, position = [], 0
        for match in pattern.finditer(block) if links else []:
            parts.append(_lines(block[position : match.start()]))
            parts.append(
                format_html(
                    '<a class="govuk-link" href="{}">{}</a>', links[match[0]], " ".join(match[0].split())
                )
            )
            position = match.end()
        parts.append(_lines(block[position:]))
        paragraphs.append(format_html('<p class="govuk-body">{}</p>', mark_safe("".join(parts))))
    return mark_safe("\n".join(paragraphs))


@register.filter
def meeting_time(value):
    """10:00 as "10am", 15:00 as "3pm", 9:30 as "9:30am" (GOV.UK style)."""
    if not value:
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}:{value.minute:02d}{suffix}" if value.minute else f"{hour}{suffix}"
