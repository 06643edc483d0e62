from django.urls import path

from . import views

app_name = "partnerships"

# The partnership's own page and the people's pages show what the minutes
# record too, so they are the site layer's (smp_site/partnership_pages.py);
# smp_site/urls.py adds them to this namespace.
urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
