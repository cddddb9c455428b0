"""Sessions end SRO_SESSION_ABSOLUTE_SECONDS after signing in, however active they have been.

The idle timeout (SESSION_COOKIE_AGE, pushed forward by every request) never ends a session that
keeps being used; this does, so a session left open on a shared computer, or a stolen cookie, stops
working by the next day.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in, dispatch_uid="sro_program.sessions.record_sign_in")
def record_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


def _expired(signed_in_at) -> bool:
    # A signed-in session with no sign-in time (from before this rule) is treated as expired.
    return signed_in_at is None or time.time() - float(signed_in_at) >= settings.SRO_SESSION_ABSOLUTE_SECONDS


class AbsoluteSessionLifetimeMiddleware:
    """Sign out a session older than its absolute lifetime, or one that never recorded its sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and _expired(request.session.get(SIGNED_IN_AT)):
            logout(request)
            hours = settings.SRO_SESSION_ABSOLUTE_SECONDS / 3600
            messages.info(
                request, f"You were signed out: a session lasts at most {hours:g} hours. Sign in again."
            )
        return self.get_response(request)
