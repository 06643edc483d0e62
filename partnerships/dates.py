"""Dates known only to the month or year ("June 2019", "2012"), as the old
pages give them: stored as a date plus how much of it is known."""

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def municipal_year_start(day, start_month):
    """The first day of the municipal year that `day` falls in, for a
    partnership whose year begins in `start_month`."""
    year = day.year if day.month >= start_month else day.year - 1
    return datetime.date(year, start_month, 1)


def municipal_year_label(start_year, start_month):
    """A municipal year as the site writes it: "2019/20", or "2019" for a
    partnership whose year begins in January."""
    if start_month == 1:
        return str(start_year)
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def municipal_year_of_day(day, start_month):
    """The municipal year ("2019/20") that `day` falls in, for a partnership
    whose year begins in `start_month`."""
    start = municipal_year_start(day, start_month)
    return municipal_year_label(start.year, start.month)
