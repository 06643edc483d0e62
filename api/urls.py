from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

from . import csv_views, renderers, views
from .resources import RESOURCES

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    # The OpenAPI 3.1 description: JSON (application/vnd.oai.openapi+json,
    # or application/json when Accept asks for that), or YAML with
    # ?format=yaml.
    path(
        "schema/",
        SpectacularAPIView.as_view(
            renderer_classes=[OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer],
            content_negotiation_class=renderers.SchemaNegotiation,
        ),
        name="schema",
    ),
]
for resource in RESOURCES:
    list_view, detail_view = views.api_views(resource)
    urlpatterns += [
        path(f"{resource.collection}/", list_view, name=resource.collection),
        path(f"{resource.collection}/<str:item_id>/", detail_view, name=f"{resource.collection}-detail"),
    ]
# CSV downloads of a partnership's resolutions and attendance.
urlpatterns += [
    path("partnerships/<slug:slug>/resolutions.csv", csv_views.resolutions_csv, name="resolutions_csv"),
    path("partnerships/<slug:slug>/attendance.csv", csv_views.attendance_csv, name="attendance_csv"),
]
# Anything else under /api/ is a JSON 404, not the site's HTML page. Only
# paths ending in a slash, so that CommonMiddleware still redirects
# /api/people to /api/people/.
urlpatterns.append(re_path(r"^(?P<path>.*/)$", views.not_found))
