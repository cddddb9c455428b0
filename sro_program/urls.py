from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from two_factor.urls import urlpatterns as two_factor_urls

from . import enrolment, views
from .health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Before two_factor's own routes (the first match wins): a user with no device confirms their
    # email before enrolling one. reverse("two_factor:setup") and ("two_factor:qr") give these paths.
    path(
        "account/two_factor/confirm-email/",
        enrolment.confirm_email,
        name="second_factor_email_confirm",
    ),
    path("account/two_factor/setup/", enrolment.setup, name="second_factor_setup"),
    path("account/two_factor/qrcode/", enrolment.qr_code, name="second_factor_qr"),
    path("", include(two_factor_urls)),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "account/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("district/", include("district.urls")),
    path("officers/", include("officers.urls")),
    path("people/", include("people.urls")),
    path("agreements/", include("agreements.urls")),
    path("feedback/", include("feedback.urls")),
    path("incidents/", include("incidents.urls")),
    path("reports/", include("reports.urls")),
    # The admin signs in through the same two-factor login as everyone else.
    path("admin/login/", RedirectView.as_view(pattern_name="two_factor:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "sro_program.views.bad_request"
handler403 = "sro_program.views.permission_denied"
handler404 = "sro_program.views.page_not_found"
handler500 = "sro_program.views.server_error"
