import datetime

from django.urls import path, re_path, register_converter

from . import views


class IsoDateConverter:
    """yyyy-mm-dd in the path; an impossible date (2019-02-30) is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(value) from error

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.index, name="index"),
    path("meetings/calendar/", views.calendar_now, name="calendar_now"),
    re_path(
        r"^meetings/calendar/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.calendar_month, name="calendar"
    ),
    path("decisions/", views.decisions, name="decisions"),
    path("declarations/", views.declarations, name="declarations"),
    path("partnerships/<slug:slug>/meetings/", views.partnership_meetings, name="partnership"),
    path("meetings/<slug:slug>/<isodate:day>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:slug>/<isodate:day>/minute-<int:number>/", views.minute_detail, name="minute"),
    path("documents/<int:pk>/<str:filename>", views.document, name="document"),
]
