from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("people/", views.people, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
]
