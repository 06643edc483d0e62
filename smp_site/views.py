from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from partnerships.models import Partnership


def home(request):
    partnerships = list(Partnership.objects.for_listing())
    return render(
        request,
        "home.html",
        {
            "current_partnerships": [p for p in partnerships if p.is_current],
            "former_partnerships": [p for p in partnerships if not p.is_current],
        },
    )


def contact(request):
    return render(request, "pages/contact.html", {"partnerships": Partnership.objects.current()})


def server_error(request):
    # Rendered without context processors or the database: the error may be
    # the database itself.
    html = loader.render_to_string("500.html", {"site_name": settings.SITE_NAME})
    return HttpResponseServerError(html)


def healthz(request):
    """For the load balancer: 200 when the site can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bench_baseline(request):
    """The benchmark's yardstick: the least a page can cost through the same
    middleware and server (see bench/ and the BENCH_BASELINE setting)."""
    return HttpResponse("baseline\n", content_type="text/plain")
