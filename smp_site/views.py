from django.conf import settings
from django.http import HttpResponseServerError
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
