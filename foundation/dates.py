"""
Dates and times as GOV.UK writes them: "28 February 2027", "Saturday 28
February 2027", "7:02am", "10am", "midday", "midnight", and together
"7:02am on 28 February 2027". Templates use the `govuk_date` filter
(site_tags); Python text (feeds, emails) calls `govuk_date` here.
"""

import datetime

from django.utils import timezone

# The site is in English: named here rather than through Django's localized
# date format, which costs some 70 microseconds a date, and a list page
# shows dozens.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_STYLES = ("date", "weekday", "month")


def govuk_time(value):
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}" if value.minute else f"{hour}{suffix}"


def govuk_date(value, style="date"):
    """`value` (a date, time or datetime) in the GOV.UK style named: "date",
    "weekday", "month", "time", or "datetime" / "weekday_time" (the time,
    then "on" and the date). Aware datetimes are shown in local time."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if style == "time":
        return govuk_time(value)
    if style in ("datetime", "weekday_time"):
        day = govuk_date(value, "weekday" if style == "weekday_time" else "date")
        return f"{govuk_time(value)} on {day}"
    if style not in DATE_STYLES:
        raise KeyError(style)
    month = f"{MONTHS[value.month - 1]} {value.year}"
    if style == "month":
        return month
    if style == "weekday":
        return f"{WEEKDAYS[value.weekday()]} {value.day} {month}"
    return f"{value.day} {month}"
