from django.urls import path

from foundation.page_cache import partnership_page

from . import action_feeds, feeds, views

app_name = "follow"

urlpatterns = [
    # Calendars (iCalendar).
    path("meetings/calendar.ics", views.all_meetings_calendar, name="calendar"),
    path(
        "partnerships/<slug:slug>/meetings/calendar.ics",
        views.partnership_calendar,
        name="partnership_calendar",
    ),
    path("meetings/<slug:slug>/<isodate:day>/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    # Atom feeds.
    path("meetings/minutes.atom", feeds.MinutesFeed(), name="minutes_feed"),
    path("meetings/new.atom", feeds.MeetingsFeed(), name="meetings_feed"),
    path(
        "partnerships/<slug:slug>/minutes.atom",
        partnership_page()(feeds.MinutesFeed()),
        name="partnership_minutes_feed",
    ),
    path(
        "partnerships/<slug:slug>/meetings.atom",
        partnership_page()(feeds.MeetingsFeed()),
        name="partnership_meetings_feed",
    ),
    path(
        "partnerships/<slug:slug>/actions.atom",
        partnership_page()(action_feeds.ActionChangesFeed()),
        name="partnership_actions_feed",
    ),
    path("have-your-say/open.atom", feeds.OpenConsultationsFeed(), name="consultations_feed"),
    # Email alerts.
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/check-your-email/", views.check_email, name="check_email"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
