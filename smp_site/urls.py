from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

admin.site.site_header = "Merseyside partnerships: staff admin"
admin.site.site_title = "Staff admin"
admin.site.index_title = "Partnerships, meetings and consultations"


def page(template_name):
    return TemplateView.as_view(template_name=template_name)


urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", page("pages/privacy.html"), name="privacy"),
    path("cookies/", page("pages/cookies.html"), name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("", include("partnerships.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "smp_site.views.server_error"
