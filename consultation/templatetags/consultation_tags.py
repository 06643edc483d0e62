from django import template

from .. import charts

register = template.Library()


@register.simple_tag
def bar_chart(result, counter):
    return charts.bar_chart(result, f"chart-{counter}")


@register.simple_tag
def district_chart(result, counter):
    return charts.district_chart(result, f"district-chart-{counter}")
