from django.urls import path, re_path

from . import follow_through_views, views

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
    # Papers to read online, actions, attendance and the work programme.
    path("meetings/<slug:slug>/<isodate:day>/papers/<int:pk>/", follow_through_views.paper, name="paper"),
    path("partnerships/<slug:slug>/actions/", follow_through_views.actions, name="actions"),
    path(
        "partnerships/<slug:slug>/attendance/", follow_through_views.attendance_years, name="attendance_years"
    ),
    re_path(
        r"^partnerships/(?P<slug>[-a-zA-Z0-9_]+)/attendance/(?P<year>[0-9]{4}-[0-9]{2})/$",
        follow_through_views.attendance,
        name="attendance",
    ),
    re_path(
        r"^partnerships/(?P<slug>[-a-zA-Z0-9_]+)/attendance/(?P<year>[0-9]{4}-[0-9]{2})\.csv$",
        follow_through_views.attendance_csv,
        name="attendance_csv",
    ),
    path(
        "partnerships/<slug:slug>/work-programme/", follow_through_views.work_programme, name="work_programme"
    ),
]
