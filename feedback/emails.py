"""The words of the survey emails, and the links they carry (the raw token appears only here)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

from feedback.models import Round

OPT_OUT_SALT = "feedback.opt-out"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# A stand-in for the token while a link's path is resolved: URL-safe, so it is never quoted.
_TOKEN = "0token0"


@lru_cache(maxsize=64)
def _path_with_placeholder(name: str, with_token: bool, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf, args=[_TOKEN] if with_token else [])


def link(name: str, token: str | None = None) -> str:
    """``absolute(reverse(name, args=[token]))``, the path resolved once per URL name (and script
    prefix) rather than once per email: resolving it for each of ten thousand invitations was most of
    the time spent writing them. Tokens are URL-safe (base64url, and signing's ``:`` and ``.``), so
    reverse() would not quote them and substituting the stand-in gives the same path."""
    path = _path_with_placeholder(name, token is not None, get_script_prefix(), get_urlconf())
    return absolute(path if token is None else path.replace(_TOKEN, token))


def opt_out_token(email: str) -> str:
    """A signed, unforgeable opt-out code for one address (no expiry: opting out should always work)."""
    return signing.Signer(salt=OPT_OUT_SALT).sign_object(email.lower(), compress=True)


def opt_out_email(token: str) -> str | None:
    """The address a genuine opt-out code names; None for a tampered one."""
    try:
        return signing.Signer(salt=OPT_OUT_SALT).unsign_object(token)
    except signing.BadSignature:
        return None


def invitation_email(*, round: Round, email: str, token: str, reminder: int = 0) -> dict:
    """Subject and body of an invitation (reminder 0) or of the n-th reminder, both languages."""
    survey = round.campaign.survey
    answer_link = link("feedback:answer", token)
    closes = round.closes_at.strftime("%Y-%m-%d") if round.closes_at else ""
    opt_out_link = link("feedback:opt_out", opt_out_token(email))
    prefix = f"Reminder {reminder}: " if reminder else ""
    anonymous = (
        "Your answers are anonymous: they are stored with no link to you or to this email."
        if round.campaign.anonymous
        else "This survey is not anonymous: your answers are kept with your email address."
    )
    body = (
        f"{survey.title}\n\n"
        f"We would value your view of the School Resource Officer program. {anonymous}\n\n"
        f"Answer here (the link works once, until {closes}):\n{answer_link}\n\n"
        f"En español: {survey.title_es}. Responda con el mismo enlace; puede elegir el idioma.\n\n"
        f"To make a complaint or a commendation: {link('feedback:concern_public')}\n"
        f"To receive no more survey emails: {opt_out_link}\n"
    )
    return {"to": [email], "subject": f"{prefix}{survey.title}", "body": body}


def invitation_key(*, invitation_id: int, reminder: int = 0) -> str:
    """One outbox key per invitation and kind of email: the database sends each at most once."""
    return f"feedback.invitation:{invitation_id}:" + (f"reminder{reminder}" if reminder else "invite")
