"""Second-factor enforcement for the people who see student names."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# What a signed-in person who still owes a second factor may open: the page that confirms their
# email, the setup wizard (and its QR code), and the way out. The wizard and QR code are served by
# sro_program.enrolment's guards (named second_factor_*) at two_factor's own paths. Public pages
# (login, password reset, /healthz) stay open to anyone.
_SETUP_VIEWS = frozenset(
    {
        "second_factor_email_confirm",
        "second_factor_setup",
        "second_factor_qr",
        "two_factor:setup",
        "two_factor:qr",
        "logout",
    }
)


def second_factor_required(user) -> bool:
    """The roles that see student names, and staff (the Django admin shows every record)."""
    return settings.SRO_REQUIRE_SECOND_FACTOR and (user.needs_second_factor or user.is_staff)


class SecondFactorRequiredMiddleware:
    """Send a user who needs a second factor to set one up, or to sign in again with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not second_factor_required(user):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # A public page (marked with @login_not_required).
        from django_otp import user_has_device

        if user_has_device(user):
            # A session signed in with the password alone (from before the device existed, or an
            # admin's force-login): end it and sign in again with both factors.
            logout(request)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('two_factor:login')}?{query}")
        if request.resolver_match.view_name in _SETUP_VIEWS:
            return None
        return redirect("two_factor:setup")
