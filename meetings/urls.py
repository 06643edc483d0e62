from django.urls import path, re_path

from . import views

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
