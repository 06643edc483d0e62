"""
The API's views, on Django REST framework: one list view and one item view
per resource of api.resources, made by api_views(). Every response is JSON
(errors too, 405 for any method but GET, HEAD and OPTIONS), carries a strong
ETag computed from its body, and is cacheable; api.middleware answers
If-None-Match with 304 and adds the CORS headers, also for responses served
from the whole-page cache. drf-spectacular describes them at /api/schema/,
and the /api/ page lists the operations of that description.
"""

import functools
import hashlib
import math
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    OpenApiTypes,
    extend_schema,
)
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from .renderers import AlwaysJSON, ReadableJSONRenderer
from .resources import RESOURCES, FilterError, absolute
from .serializers import ITEM_SERIALIZERS, ErrorSerializer, page_serializer

PAGE_SIZE = 50
# Generous for any real page number; longer ones are refused before any
# arithmetic or query is attempted.
PAGE_DIGITS = 9


def error_body(status, message):
    return {"error": {"status": status, "message": message}}


def error(status, message):
    return Response(error_body(status, message), status=status)


def exception_handler(exc, context):
    """DRF's errors (405 for a POST, say) in the API's error format."""
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response = error(exc.status_code, detail)
        if isinstance(exc, exceptions.MethodNotAllowed):
            response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return None


def add_etag(response):
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    # Anyone may keep a copy, but must check back (cheaply, with the ETag).
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class ApiView(APIView):
    """Read-only, public, anonymous: no session, no CSRF, JSON only."""

    resource = None
    renderer_classes = [ReadableJSONRenderer]
    content_negotiation_class = AlwaysJSON
    authentication_classes = []
    permission_classes = []
    parser_classes = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.add_post_render_callback(add_etag)
        return response


class ItemList(ApiView):
    def get(self, request):
        resource = self.resource
        params = {}
        page_number = 1
        for name in request.GET:
            values = request.GET.getlist(name)
            if len(values) > 1:
                return error(400, f"Give {name} once.")
            value = values[0]
            if name == "page":
                if not (
                    value.isascii() and value.isdigit() and len(value) <= PAGE_DIGITS and int(value) >= 1
                ):
                    return error(400, "page must be a whole number from 1.")
                page_number = int(value)
            elif name in resource.filters:
                try:
                    resource.filters[name].parse(value)
                except FilterError as problem:
                    return error(400, f"{name} {problem}")
                params[name] = value
            else:
                return error(400, f"Unknown parameter {name}.")

        start = (page_number - 1) * PAGE_SIZE
        count, results = resource.listing(params, start, start + PAGE_SIZE)
        pages = max(math.ceil(count / PAGE_SIZE), 1)
        if page_number > pages:
            return error(404, f"There is no page {page_number}; the last page is {pages}.")

        def page_url(number):
            query = urlencode({**params, **({"page": number} if number > 1 else {})})
            return resource.list_url() + (f"?{query}" if query else "")

        return Response(
            {
                "count": count,
                "page": page_number,
                "pages": pages,
                "page_size": PAGE_SIZE,
                "next": page_url(page_number + 1) if page_number < pages else None,
                "previous": page_url(page_number - 1) if page_number > 1 else None,
                "results": results,
            }
        )


class ItemDetail(ApiView):
    def get(self, request, item_id):
        item = self.resource.get(item_id)
        if item is None:
            return error(404, f"There is no {self.resource.type} {item_id}.")
        return Response(item)


def filter_parameter(name, api_filter):
    return OpenApiParameter(
        name,
        api_filter.schema,
        OpenApiParameter.QUERY,
        description=api_filter.description,
        **({"examples": [OpenApiExample(name, value=api_filter.example)]} if api_filter.example else {}),
    )


ERRORS = {
    400: ErrorSerializer,
    404: ErrorSerializer,
    405: ErrorSerializer,
    # Answered by the HTTP server (gunicorn) before the API reads anything:
    # its page, not the API's error format.
    (414, "text/html"): OpenApiResponse(
        OpenApiTypes.STR,
        description="URI Too Long: the address is longer than the server reads (a request line of 4,094 bytes).",
    ),
}


def described(class_name, view_class, resource, **schema):
    """A subclass of `view_class` for `resource`, its GET described by
    `schema` (drf-spectacular's extend_schema arguments)."""

    def get(self, request, *args, **kwargs):
        return view_class.get(self, request, *args, **kwargs)

    return type(class_name, (view_class,), {"resource": resource, "get": extend_schema(**schema)(get)})


def api_views(resource):
    """The list view and the item view of `resource`, each described for
    the OpenAPI document."""
    name = resource.collection
    list_view = described(
        f"{name.title()}List",
        ItemList,
        resource,
        operation_id=f"{name}_list",
        summary=f"List {name}",
        description=f"{resource.description} {PAGE_SIZE} a page.",
        tags=[name],
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": 10**PAGE_DIGITS - 1},
                OpenApiParameter.QUERY,
                description="Page number, from 1.",
            ),
            *(filter_parameter(param, api_filter) for param, api_filter in resource.filters.items()),
        ],
        responses={200: page_serializer(resource), **ERRORS},
    )
    detail_view = described(
        f"{name.title()}Detail",
        ItemDetail,
        resource,
        operation_id=f"{name}_retrieve",
        summary=f"One of the {name}",
        description=f"One item of /api/{name}/, by its id.",
        tags=[name],
        parameters=[
            OpenApiParameter(
                "item_id",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=f"Its id, such as {resource.example_id}.",
                examples=[OpenApiExample("The first", value=resource.example_id)],
            )
        ],
        responses={200: ITEM_SERIALIZERS[name], **ERRORS},
    )
    return list_view.as_view(), detail_view.as_view()


@functools.cache
def operations():
    """The operations of the OpenAPI description, for the /api/ page: built
    once per process, as the description changes only with the code."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    # For line breaks after each slash on a narrow screen.
                    "path_parts": path.strip("/").split("/"),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "description": parameter.get("description", ""),
                            "values": ", ".join(parameter.get("schema", {}).get("enum", []) or []),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "statuses": ", ".join(operation.get("responses", {})),
                }
            )
    return found


@require_safe
def index(request):
    return render(
        request,
        "api/index.html",
        {
            "resources": [(resource, resource.list_url()) for resource in RESOURCES],
            "operations": operations(),
            "page_size": PAGE_SIZE,
            "site_url": settings.SITE_URL,
        },
    )


def not_found(request, path=""):
    """Anything else under /api/: a JSON 404 rather than the site's page."""
    return ApiNotFound.as_view()(request, path=path)


class ApiNotFound(ApiView):
    def get(self, request, path=""):
        return error(
            404, f"There is nothing at {absolute(request.path)}. The API is described at {absolute('/api/')}."
        )

    post = put = patch = delete = get
