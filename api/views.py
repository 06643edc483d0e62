"""
The API's views: plain Django views around api.resources. Every response is
JSON (errors too), carries a strong ETag computed from its body, and is
cacheable; api.middleware answers If-None-Match with 304 and adds the CORS
headers, also for responses served from the whole-page cache.
"""

import hashlib
import json
import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .resources import RESOURCES, absolute

PAGE_SIZE = 50
# Generous for any real page number; longer ones are refused before any
# arithmetic or query is attempted.
PAGE_DIGITS = 9


def json_response(data, status=200):
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    # Anyone may keep a copy, but must check back (cheaply, with the ETag).
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def error(status, message):
    return json_response({"error": {"status": status, "message": message}}, status=status)


@require_safe
def index(request):
    return render(
        request,
        "api/index.html",
        {
            "resources": [(resource, resource.list_url()) for resource in RESOURCES],
            "page_size": PAGE_SIZE,
            "site_url": settings.SITE_URL,
        },
    )


@require_safe
def item_list(request, resource):
    params = {}
    page_number = 1
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) > 1:
            return error(400, f"Give {name} once.")
        value = values[0]
        if name == "page":
            if not (value.isascii() and value.isdigit() and len(value) <= PAGE_DIGITS and int(value) >= 1):
                return error(400, "page must be a whole number from 1.")
            page_number = int(value)
        elif name in resource.filters:
            if value not in resource.filters[name]:
                allowed = ", ".join(resource.filters[name])
                return error(400, f"{name} must be one of: {allowed}.")
            params[name] = value
        else:
            return error(400, f"Unknown parameter {name}.")

    count = resource.count(params)
    pages = max(math.ceil(count / PAGE_SIZE), 1)
    if page_number > pages:
        return error(404, f"There is no page {page_number}; the last page is {pages}.")
    start = (page_number - 1) * PAGE_SIZE

    def page_url(number):
        query = urlencode({**params, **({"page": number} if number > 1 else {})})
        return resource.list_url() + (f"?{query}" if query else "")

    return json_response(
        {
            "count": count,
            "page": page_number,
            "pages": pages,
            "page_size": PAGE_SIZE,
            "next": page_url(page_number + 1) if page_number < pages else None,
            "previous": page_url(page_number - 1) if page_number > 1 else None,
            "results": resource.page(params, start, start + PAGE_SIZE),
        }
    )


@require_safe
def item_detail(request, resource, item_id):
    item = resource.get(item_id)
    if item is None:
        return error(404, f"There is no {resource.type} {item_id}.")
    return json_response(item)


def not_found(request, path=""):
    return error(
        404, f"There is nothing at {absolute(request.path)}. The API is described at {absolute('/api/')}."
    )
