"""Second-factor enforcement for the roles that see student names."""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in user may reach before the second factor is set up or verified.
_ALLOWED_PREFIXES = ("/account/", "/static/", "/healthz", "/media/")


class SecondFactorRequiredMiddleware:
    """Send a user whose role sees student names to set up or verify a second factor first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SRO_REQUIRE_SECOND_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and user.needs_second_factor
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            from django_otp import user_has_device

            if user_has_device(user):
                # A password-only session (from before the device existed): sign in again with both.
                logout(request)
                return redirect(f"{reverse('two_factor:login')}?next={request.path}")
            return redirect("two_factor:setup")
        return self.get_response(request)
