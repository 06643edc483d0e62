"""The site's URLs plus one view that fails, for the error-page tests."""

from django.urls import path

from smp_site.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("the view broke")


urlpatterns = [*site_urlpatterns, path("fail", fail)]
handler500 = "smp_site.views.server_error"
