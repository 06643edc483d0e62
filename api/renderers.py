"""How the API answers: JSON, and nothing else."""

import orjson
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

# Characters JSON allows in a string but JavaScript did not: DRF escapes
# them, and so does ReadableJSONRenderer.
LINE_SEPARATORS = (("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


class ReadableJSONRenderer(JSONRenderer):
    """JSON indented for people reading it in a browser, byte for byte as
    DRF's JSONRenderer writes it with an indent of 2, but by orjson: with an
    indent, the standard library's json runs in pure Python, and took 56 ms
    to write the 1.5 MB of a page of fifty events (orjson: under 1 ms).
    Dates, times and whatever else orjson does not write as json does go
    to DRF's encoder, as they would have; data orjson refuses outright (a
    key that is not a string, an integer past 64 bits) is written by DRF."""

    def get_indent(self, accepted_media_type, renderer_context):
        return 2

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        try:
            body = orjson.dumps(
                data,
                default=self.encoder_class().default,
                option=orjson.OPT_INDENT_2
                | orjson.OPT_PASSTHROUGH_DATETIME
                | orjson.OPT_PASSTHROUGH_DATACLASS,
            )
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for character, escaped in LINE_SEPARATORS:
            body = body.replace(character, escaped)
        return body


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
