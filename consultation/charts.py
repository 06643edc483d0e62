"""
Charts as server-rendered SVG: no JavaScript, crisp at any size, printable.
Each chart is an image with a text alternative; the same figures are always
in a table beside it, which is what screen-reader users and anyone checking
the numbers should read.
"""

from django.utils.html import format_html, format_html_join

# GOV.UK colours with enough contrast against white for graphics (WCAG
# 1.4.11, 3:1); segments are also separated by white gaps, so colour is not
# the only difference between them.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#d53880", "#b58840", "#505a5f"]
# A narrow drawing, so that its 14px text stays readable when a phone scales
# it down to 290px; .app-chart caps how far a wide screen scales it up.
WIDTH = 320
LABEL_CHARACTERS = 42  # longer labels are shortened in the chart (the table has them whole)
LABEL_HEIGHT = 20
BAR_HEIGHT = 22
GAP = 12


def short(label):
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "\u2026"


def bar_chart(result, title_id):
    """One horizontal bar per choice, its label above it and its percentage
    after it."""
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = step * len(result.rows) or step
    bar_space = WIDTH - 70
    bars = format_html_join(
        "",
        '<text x="0" y="{}" class="app-chart__label">{}</text>'
        '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" class="app-chart__value">{}%</text>',
        (
            (
                index * step + 15,
                short(row.label),
                index * step + LABEL_HEIGHT,
                round(bar_space * row.percent / 100, 1),
                BAR_HEIGHT,
                PALETTE[0],
                round(bar_space * row.percent / 100, 1) + 6,
                index * step + LABEL_HEIGHT + 16,
                row.percent,
            )
            for index, row in enumerate(result.rows)
        ),
    )
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        height,
        title_id,
        bars,
    )


def district_chart(result, title_id):
    """One 100% bar per district, divided between the choices, with a key."""
    rows = result.rows
    key_step = 22
    key_height = key_step * len(rows)
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    parts = []
    for index, row in enumerate(rows):
        y = index * key_step
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="14" height="14" fill="{}"></rect>'
                '<text x="20" y="{}" class="app-chart__label">{}</text>',
                y + 2,
                PALETTE[index % len(PALETTE)],
                y + 14,
                short(row.label),
            )
        )
    for d_index, (_code, label, answered) in enumerate(result.districts):
        y = key_height + GAP + d_index * step
        parts.append(
            format_html(
                '<text x="0" y="{}" class="app-chart__label">{} ({} answered)</text>',
                y + 15,
                short(label),
                answered,
            )
        )
        x = 0.0
        for index, row in enumerate(rows):
            share = row.by_district[d_index][1]
            width = WIDTH * share / 100
            if width > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" '
                        'stroke-width="2"></rect>',
                        round(x, 1),
                        y + LABEL_HEIGHT,
                        round(width, 1),
                        BAR_HEIGHT,
                        PALETTE[index % len(PALETTE)],
                    )
                )
            x += width
    height = key_height + GAP + step * len(result.districts)
    return format_html(
        '<svg class="app-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        height,
        title_id,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
