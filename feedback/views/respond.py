"""The public pages: answering through a private or shared link, opting out, and the complaints and
commendations form. Public on purpose (no account): the link's token is the key, and a bad link gets
a plain page (400 or 410), never an error."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agreements.selectors.items import complaint_process_active
from feedback.emails import opt_out_email
from feedback.forms import AnswerForm, ConcernPublicForm
from feedback.models import Language
from feedback.services.concerns import concern_receive, opt_out_record
from feedback.services.responses import (
    LinkUnusable,
    event_response_submit,
    event_target,
    link_target,
    response_submit,
)
from sro_program.sign_in import client_address
from sro_program.views_support import errors_to_form, posted

# The public complaints form: at most this many filings per client address per hour.
CONCERN_LIMIT_PER_HOUR = 5
TOO_MANY = "Too many filings from this connection in the last hour. Please try again later."


def _language(request) -> str:
    chosen = request.POST.get("language") or request.GET.get("lang") or Language.ENGLISH
    return chosen if chosen in Language.values else Language.ENGLISH


def _unusable(request, unusable: LinkUnusable):
    return render(
        request, "feedback/link_unusable.html", {"message": unusable.message}, status=unusable.status
    )


def _answer(request, token: str, *, find, submit, thanks: str):
    try:
        target = find(token=token)
    except LinkUnusable as unusable:
        return _unusable(request, unusable)
    survey = target.round.campaign.survey
    language = _language(request)
    form = AnswerForm(posted(request), survey=survey, language=language)
    if request.method == "POST":
        # Answers to questions that are not in this survey are refused outright, not silently dropped.
        foreign = [key for key in request.POST if key.startswith("q_") and key not in form.fields]
        if foreign:
            return render(
                request,
                "feedback/link_unusable.html",
                {"message": "Some answers are to questions that are not in this survey. Nothing was saved."},
                status=400,
            )
        if form.is_valid():
            try:
                submit(token=token, answers=form.answers(), language=language)
            except LinkUnusable as unusable:
                return _unusable(request, unusable)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect(thanks + f"?lang={language}")
    return render(
        request,
        "feedback/answer.html",
        {
            "form": form,
            "survey": survey,
            "language": language,
            "round": target.round,
            "languages": Language.choices,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """Public on purpose: a private link from an invitation email; it works once."""
    return _answer(
        request, token, find=link_target, submit=response_submit, thanks=reverse("feedback:thanks")
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def event_answer(request, token: str):
    """Public on purpose: an event's shared link, limited to a number of answers and a closing time."""
    return _answer(
        request, token, find=event_target, submit=event_response_submit, thanks=reverse("feedback:thanks")
    )


@login_not_required
def thanks(request):
    """Public: the page after answering."""
    return render(request, "feedback/thanks.html", {"language": _language(request)})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    """Public on purpose: the opt-out link in every survey email; confirmed with a button (POST)."""
    email = opt_out_email(token)
    if email is None:
        return render(
            request, "feedback/link_unusable.html", {"message": "This opt-out link is not valid."}, status=400
        )
    done = False
    if request.method == "POST":
        opt_out_record(email=email)
        done = True
    return render(request, "feedback/opt_out.html", {"email": email, "done": done})


def _client_address(request) -> str:
    return client_address(request) or "unknown"


@login_not_required
@require_http_methods(["GET", "POST"])
def concern_public(request):
    """Public on purpose: anyone may file a complaint or a commendation; a few per hour per address."""
    form = ConcernPublicForm(posted(request))
    if request.method == "POST":
        key = f"feedback:concern-rate:{_client_address(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > CONCERN_LIMIT_PER_HOUR:
            return render(
                request,
                "feedback/link_unusable.html",
                {"message": TOO_MANY},
                status=429,
            )
        if form.is_valid():
            concern_receive(**form.cleaned_data)
            return render(request, "feedback/concern_received.html", {"kind": form.cleaned_data["kind"]})
    context = {"form": form, "complaint_process": complaint_process_active()}
    return render(request, "feedback/concern_public.html", context)
