from django.urls import path, re_path

from . import csv_views, views
from .resources import RESOURCES

app_name = "api"

urlpatterns = [path("", views.index, name="index")]
for resource in RESOURCES:
    urlpatterns += [
        path(f"{resource.collection}/", views.item_list, {"resource": resource}, name=resource.collection),
        path(
            f"{resource.collection}/<str:item_id>/",
            views.item_detail,
            {"resource": resource},
            name=f"{resource.collection}-detail",
        ),
    ]
# issue 6: CSV downloads of a partnership's resolutions and attendance.
urlpatterns += [
    path("partnerships/<slug:slug>/resolutions.csv", csv_views.resolutions_csv, name="resolutions_csv"),
    path("partnerships/<slug:slug>/attendance.csv", csv_views.attendance_csv, name="attendance_csv"),
]
# Anything else under /api/ is a JSON 404, not the site's HTML page. Only
# paths ending in a slash, so that CommonMiddleware still redirects
# /api/people to /api/people/.
urlpatterns.append(re_path(r"^(?P<path>.*/)$", views.not_found))
