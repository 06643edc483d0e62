"""How the API answers: JSON, and nothing else."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class ReadableJSONRenderer(JSONRenderer):
    """JSON indented for people reading it in a browser."""

    def get_indent(self, accepted_media_type, renderer_context):
        return 2


class AlwaysJSON(BaseContentNegotiation):
    """The API speaks JSON only, whatever the Accept header asks for: a
    browser's or a client's Accept never turns an answer into a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class SchemaNegotiation(DefaultContentNegotiation):
    """The OpenAPI description: YAML when asked for (?format=yaml, or Accept:
    application/vnd.oai.openapi), otherwise JSON whatever else Accept says:
    application/json when that is asked for, never a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            renderer = next((r for r in renderers if r.format == asked), renderers[0])
            return renderer, renderer.media_type
