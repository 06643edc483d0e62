from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

import partnerships.urls
from meetings.import_views import import_minutes

from . import admin_site, health, partnership_pages, staff_sign_in, two_factor, views
from .seo import robots_txt, sitemap_index, sitemap_section

# The admin's sign-in (with two-factor sign-in) and "view on site"
# redirects, as smp_site/admin_site.py explains.
admin.site.__class__ = admin_site.StaffAdminSite

admin.site.site_header = "Merseyside partnerships: staff admin"
admin.site.site_title = "Staff admin"
admin.site.index_title = "Partnerships, meetings and consultations"


def page(template_name):
    return TemplateView.as_view(template_name=template_name)


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", page("pages/privacy.html"), name="privacy"),
    path("cookies/", page("pages/cookies.html"), name="cookies"),
    path("contact/", views.contact, name="contact"),
    # Each app's pages from its own URLconf. Under a partnership's address,
    # /partnerships/<slug>/ is its page (partnerships), .../meetings/ its
    # meetings (meetings), and its calendar and feeds (follow).
    # partnerships: /partnerships/, /organisations/, /people/ (the pages that
    # also show what the minutes record are the site layer's)
    path(
        "",
        include(
            (
                [
                    *partnerships.urls.urlpatterns,
                    path("partnerships/<slug:slug>/", partnership_pages.partnership_detail, name="detail"),
                    path("people/", partnership_pages.people, name="people"),
                    path("people/<slug:slug>/", partnership_pages.person_detail, name="person"),
                ],
                partnerships.urls.app_name,
            )
        ),
    ),
    # meetings: /meetings/, /decisions/, /declarations/, /documents/
    path("", include("meetings.urls")),
    path("have-your-say/", include("consultation.urls")),
    path("glossary/", include("glossary.urls")),
    path("api/", include("api.urls")),
    # sitemaps and robots.txt (smp_site/seo.py)
    path("robots.txt", robots_txt, name="robots_txt"),
    # An index of one sitemap per kind of page, each split into pages of at
    # most 50,000 addresses (the protocol's limit): ?p=2 and so on.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("search/", include("search.urls")),
    # follow: calendars (.ics) and feeds (.atom) beside the pages they
    # follow, and /alerts/
    path("", include("follow.urls")),
    # Staff password reset by email (linked from the admin's sign-in page,
    # which shows the link once "admin_password_reset" exists).
    path(
        "admin/password-reset/",
        staff_sign_in.StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password-reset/sent/",
        staff_sign_in.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/password-reset/<uidb64>/<token>/",
        staff_sign_in.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/password-reset/done/",
        staff_sign_in.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Two-factor sign-in (smp_site/two_factor.py): the code after the
    # password, and each staff member's own set-up page and backup codes.
    path("admin/sign-in/code/", two_factor.sign_in_code, name="staff_sign_in_code"),
    path("admin/two-factor/", two_factor.two_factor_setup, name="staff_two_factor"),
    path("admin/two-factor/backup-codes/", two_factor.backup_codes, name="staff_backup_codes"),
    path("admin/two-factor/backup-codes/new/", two_factor.new_backup_codes, name="staff_new_backup_codes"),
    path("admin/import-minutes/", admin.site.admin_view(import_minutes), name="import_minutes"),
    path("admin/", admin.site.urls),
]

handler500 = "smp_site.views.server_error"

if settings.BENCH_BASELINE:
    urlpatterns.append(path("bench/baseline", views.bench_baseline))
