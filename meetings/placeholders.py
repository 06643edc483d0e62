"""
Text a clerk's template left unfilled, such as "xxxxxx, xxxx 2012" in an
agenda's "Date of Next Meeting". The public pages leave out a paragraph that
holds one (it reads as content otherwise); the admin warns the clerk.
"""

import re

PLACEHOLDER = re.compile(r"\b[xX]{3,}\b|\[(?:date|time|name|insert[^\]]*)\]|\bTBC\b", re.IGNORECASE)


def has_placeholder(text):
    return bool(PLACEHOLDER.search(text or ""))


def without_placeholders(text):
    """`text` without the paragraphs (blank-line separated) that hold a
    placeholder."""
    text = str(text or "").replace("\r\n", "\n")
    if not PLACEHOLDER.search(text):
        # Most texts hold none: one search rather than one a paragraph.
        return text
    blocks = text.split("\n\n")
    return "\n\n".join(block for block in blocks if not has_placeholder(block))


def placeholder_warnings(items):
    """For the admin: one message per item field that holds a placeholder."""
    warnings = []
    for item in items:
        for field in ["title", "agenda_text", "minutes"]:
            if has_placeholder(getattr(item, field)):
                label = item._meta.get_field(field).verbose_name
                warnings.append(
                    f"The {label} of “{item}” looks like an unfilled placeholder "
                    f"(“{PLACEHOLDER.search(getattr(item, field))[0]}”): the public pages leave that "
                    "paragraph out. Replace it with the real wording, or remove it."
                )
    return warnings
