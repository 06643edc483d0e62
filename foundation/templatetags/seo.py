from django import template
from django.conf import settings
from django.utils.encoding import escape_uri_path

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one public address: settings.SITE_URL and the path, never
    the query string (so "?utm_source=..." copies are not separate pages)."""
    request = context.get("request")
    path = escape_uri_path(request.path) if request is not None else "/"
    return f"{settings.SITE_URL}{path}"
