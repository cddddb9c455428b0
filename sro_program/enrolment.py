"""Enrolling a second factor: first prove you hold the account's email address.

Without this, anyone who has only a password could enrol their own authenticator on an account
that has no device yet, and the second factor would protect nothing. So a user with no confirmed
device asks for a six-digit code by email, types it, and only then reaches the setup wizard (and
its QR code). A user who already has a device (adding another after signing in with it) is not asked.

The code is never stored: the cache (Redis in production) keeps, per user, its keyed hash, when it
was sent and when it expires, how many wrong tries it has had, and how many codes were sent in the
last hour. Per user, not per session: signing in again in a new session does not reset the count of
tries or the wait before another code.
"""

import logging
import secrets
import time

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device
from two_factor.views import QRGeneratorView, SetupView

logger = logging.getLogger(__name__)

CONFIRMED_SESSION_KEY = "second_factor_email_confirmed"
CODE_LIFETIME_SECONDS = 15 * 60
RESEND_AFTER_SECONDS = 60
MAX_WRONG_TRIES = 5
# At most this many codes in SEND_WINDOW_SECONDS: with MAX_WRONG_TRIES each, a person who has only
# the password gets 25 guesses an hour at a million codes.
MAX_SENDS = 5
SEND_WINDOW_SECONDS = 60 * 60
# How long a confirmation opens the setup wizard (the session's idle timeout is as long).
CONFIRMATION_LIFETIME_SECONDS = 30 * 60

_HMAC_SALT = "sro_program.enrolment.email_code"
_SEND = "send"


def _code_hash(user_pk, sent_at: float, code: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{user_pk}:{sent_at}:{code}", algorithm="sha256").hexdigest()


def has_fresh_confirmation(request) -> bool:
    """Whether this session's user confirmed their email address recently enough."""
    confirmed = request.session.get(CONFIRMED_SESSION_KEY) or {}
    return (
        confirmed.get("user") == str(request.user.pk)
        and time.time() - float(confirmed.get("at", 0)) < CONFIRMATION_LIFETIME_SECONDS
    )


def needs_email_confirmation(request) -> bool:
    """A signed-in user with no confirmed device must confirm their email before enrolling one."""
    return not user_has_device(request.user, confirmed=True) and not has_fresh_confirmation(request)


class EmailCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the email",
        max_length=6,
        help_text="The six digits in the email we sent you.",
        error_messages={"required": "Enter the six-digit code from the email."},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError("The code is six digits, for example 123456.")
        return code


def code_cache_key(user_pk) -> str:
    """The pending code of a user: its hash, when it was sent and when it expires."""
    return f"second-factor-email-code:{user_pk}"


def wrong_tries_cache_key(user_pk) -> str:
    return f"second-factor-email-code-tries:{user_pk}"


def sends_cache_key(user_pk) -> str:
    return f"second-factor-email-code-sends:{user_pk}"


def _count(key: str) -> int:
    """Add one to a counter in the cache, atomically (Redis INCR), and return it."""
    cache.add(key, 0, SEND_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, SEND_WINDOW_SECONDS)
        return 1


def _pending_code(request) -> dict | None:
    return cache.get(code_cache_key(request.user.pk))


def _send_code(request) -> None:
    user = request.user
    pending = _pending_code(request)
    now = time.time()
    if pending is not None:
        wait = RESEND_AFTER_SECONDS - (now - float(pending["sent_at"]))
        if wait > 0:
            messages.error(
                request,
                f"A code was sent less than a minute ago. Check your email, or wait {int(wait) + 1} "
                "seconds before asking for another.",
            )
            return
    if _count(sends_cache_key(user.pk)) > MAX_SENDS:
        messages.error(
            request,
            f"{MAX_SENDS} codes have been sent to you within the hour, so no more are sent for now. Try "
            "again in an hour, or ask the program coordinator for help.",
        )
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = CODE_LIFETIME_SECONDS // 60
    try:
        send_mail(
            "Your SRO Program Manager confirmation code",
            f"Your confirmation code is {code}\n\n"
            f"Enter it on the Confirm your email page to set up two-factor sign-in. "
            f"It works for {minutes} minutes.\n\n"
            "If you did not ask for this code, tell the program coordinator: someone may know "
            "your password.\n",
            None,
            [user.email],
        )
    except OSError:  # smtplib's errors are OSErrors.
        logger.exception("could not email a confirmation code to user %s", user.pk)
        messages.error(request, "The email could not be sent. Try again in a few minutes.")
        return
    # Kept past its expiry (for the window), so that a late try is told the code expired.
    pending = {
        "hash": _code_hash(user.pk, now, code),
        "sent_at": now,
        "expires_at": now + CODE_LIFETIME_SECONDS,
    }
    cache.set(code_cache_key(user.pk), pending, SEND_WINDOW_SECONDS)
    cache.set(wrong_tries_cache_key(user.pk), 0, SEND_WINDOW_SECONDS)
    messages.success(request, f"We emailed a six-digit code to {user.email}. It works for {minutes} minutes.")


def _check_code(request, form) -> bool:
    """Check a well-formed code against the one sent; explain any refusal on the form."""
    pending = _pending_code(request)
    if pending is None or not pending.get("hash"):
        form.add_error("code", "There is no code waiting to be checked. Use “Email me a code” first.")
        return False
    user_pk = request.user.pk
    if time.time() >= float(pending["expires_at"]):
        _void(user_pk, pending)
        form.add_error("code", "This code has expired. Use “Email me a code” to get a new one.")
        return False
    # Counted before the comparison, atomically: tries sent at once cannot all be the fifth.
    tries = _count(wrong_tries_cache_key(user_pk))
    if tries > MAX_WRONG_TRIES:
        _void(user_pk, pending)
        form.add_error("code", "There is no code waiting to be checked. Use “Email me a code” first.")
        return False
    expected = _code_hash(user_pk, pending["sent_at"], form.cleaned_data["code"])
    if constant_time_compare(expected, pending["hash"]):
        cache.delete_many([code_cache_key(user_pk), wrong_tries_cache_key(user_pk)])
        request.session[CONFIRMED_SESSION_KEY] = {"user": str(user_pk), "at": time.time()}
        return True
    if tries >= MAX_WRONG_TRIES:
        _void(user_pk, pending)
        form.add_error(
            "code",
            f"That code is wrong, and that was the {MAX_WRONG_TRIES}th wrong try: this code no longer "
            "works. Use “Email me a code” to get a new one.",
        )
    else:
        left = MAX_WRONG_TRIES - tries
        noun = "try" if left == 1 else "tries"
        form.add_error("code", f"That code is wrong. Check the email and try again ({left} {noun} left).")
    return False


def _void(user_pk, pending: dict) -> None:
    """Make the pending code unusable; its send time stays, so the wait before another still applies."""
    cache.set(code_cache_key(user_pk), {**pending, "hash": ""}, SEND_WINDOW_SECONDS)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request):
    """“Confirm your email”: send a code to the account's address, then check it."""
    if not needs_email_confirmation(request):
        return redirect("two_factor:setup")
    has_email = bool(request.user.email)
    form = EmailCodeForm()
    if request.method == "POST":
        if not has_email:
            messages.error(request, "No code was sent: there is no email address on your account.")
            return redirect("second_factor_email_confirm")
        if _SEND in request.POST:
            _send_code(request)
            return redirect("second_factor_email_confirm")
        form = EmailCodeForm(request.POST)
        if form.is_valid() and _check_code(request, form):
            messages.success(request, "Your email address is confirmed. Now set up two-factor sign-in.")
            return redirect("two_factor:setup")
    pending = _pending_code(request)
    context = {
        "form": form,
        "has_email": has_email,
        "code_sent": bool(pending and pending.get("hash")),
        "lifetime_minutes": CODE_LIFETIME_SECONDS // 60,
    }
    return render(request, "two_factor/core/confirm_email.html", context)


_setup = SetupView.as_view()
_qr = QRGeneratorView.as_view()


@never_cache
def setup(request, *args, **kwargs):
    """two_factor's setup wizard, once a user with no device has confirmed their email."""
    if needs_email_confirmation(request):
        return redirect("second_factor_email_confirm")
    return _setup(request, *args, **kwargs)


@never_cache
def qr_code(request, *args, **kwargs):
    """two_factor's QR code of the key being set up, guarded as the wizard is."""
    if needs_email_confirmation(request):
        return redirect("second_factor_email_confirm")
    return _qr(request, *args, **kwargs)
