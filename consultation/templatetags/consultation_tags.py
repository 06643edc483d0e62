from django import template

from .. import charts
from ..models import Consultation

register = template.Library()


@register.simple_tag
def bar_chart(result, counter):
    return charts.bar_chart(result, f"chart-{counter}")


@register.simple_tag
def district_chart(result, counter):
    return charts.district_chart(result, f"district-chart-{counter}")


@register.simple_tag
def open_consultations(limit=3):
    """For the home page: the consultations open now, soonest closing first
    (one query)."""
    return list(Consultation.objects.open_now()[:limit])
