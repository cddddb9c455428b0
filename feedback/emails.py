"""The words of the survey emails, and the links they carry (the raw token appears only here)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from feedback.models import Round

OPT_OUT_SALT = "feedback.opt-out"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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
    link = absolute(reverse("feedback:answer", args=[token]))
    closes = round.closes_at.strftime("%Y-%m-%d") if round.closes_at else ""
    opt_out_link = absolute(reverse("feedback:opt_out", args=[opt_out_token(email)]))
    prefix = f"Reminder {reminder}: " if reminder else ""
    anonymous = (
        "Your answers are anonymous: they are stored with no link to you or to this email."
        if round.campaign.anonymous
        else "This survey is not anonymous: your answers are kept with your email address."
    )
    body = (
        f"{survey.title}\n\n"
        f"We would value your view of the School Resource Officer program. {anonymous}\n\n"
        f"Answer here (the link works once, until {closes}):\n{link}\n\n"
        f"En español: {survey.title_es}. Responda con el mismo enlace; puede elegir el idioma.\n\n"
        f"To make a complaint or a commendation: {absolute(reverse('feedback:concern_public'))}\n"
        f"To receive no more survey emails: {opt_out_link}\n"
    )
    return {"to": [email], "subject": f"{prefix}{survey.title}", "body": body}


def invitation_key(*, invitation_id: int, reminder: int = 0) -> str:
    """One outbox key per invitation and kind of email: the database sends each at most once."""
    return f"feedback.invitation:{invitation_id}:" + (f"reminder{reminder}" if reminder else "invite")
