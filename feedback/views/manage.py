"""Coordinators' pages: surveys and their questions, campaigns; and the one-event round that an
officer or the coordinator opens, with its shared link and QR code."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import access
from feedback.emails import absolute
from feedback.forms import (
    CampaignForm,
    EventForm,
    QuestionForm,
    QuestionMoveForm,
    SurveyForm,
    question_initial,
)
from feedback.models import Audience, CampaignKind, RoundStatus
from feedback.services.campaigns import campaign_create, event_round_create
from feedback.services.responses import event_token
from feedback.services.surveys import (
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_copy,
    survey_create,
    survey_is_frozen,
)
from officers.models import Officer
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_manage_feedback)
def survey_list(request):
    surveys = access.surveys_for_user(user=request.user).annotate(question_count=Count("questions"))
    return render(request, "feedback/survey_list.html", {"surveys": surveys})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def survey_create_view(request):
    form = SurveyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        survey = service_call(request, form, survey_create, **form.cleaned_data)
        if survey is not None:
            messages.success(request, "The survey was created. Now add its questions.")
            return redirect("feedback:survey_detail", pk=survey.pk)
    return render(request, "feedback/survey_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def survey_detail(request, pk: int):
    """A survey's questions in both languages, the buttons that edit, move and delete them while no
    round has used the survey, and the form that adds one (or, once used, the copy button)."""
    survey = access.survey_get_for_user(user=request.user, pk=pk)
    form = QuestionForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(request, form, question_add, survey=survey, **form.cleaned_data) is not None
    ):
        messages.success(request, "The question was added.")
        return redirect("feedback:survey_detail", pk=survey.pk)
    questions = list(survey.questions.prefetch_related("choices"))
    return render(
        request,
        "feedback/survey_detail.html",
        {
            "survey": survey,
            "questions": questions,
            "form": form,
            "frozen": survey_is_frozen(survey=survey),
            "versions": survey.next_versions.order_by("created_at"),
        },
    )


def _question(request, pk: int, question_pk: int):
    survey = access.survey_get_for_user(user=request.user, pk=pk)
    return survey, get_object_or_404(survey.questions.select_related("survey"), pk=question_pk)


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def question_edit(request, pk: int, question_pk: int):
    """Change a question and its choices (while no round has used the survey)."""
    survey, question = _question(request, pk, question_pk)
    form = QuestionForm(posted(request), initial=question_initial(question))
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(request, form, question_update, question=question, **form.cleaned_data) is not None
    ):
        messages.success(request, "The question was saved.")
        return redirect("feedback:survey_detail", pk=survey.pk)
    return render(
        request,
        "feedback/question_form.html",
        {"form": form, "survey": survey, "question": question, "frozen": survey_is_frozen(survey=survey)},
    )


@require_POST
@requires(access.may_manage_feedback)
def question_move_view(request, pk: int, question_pk: int):
    survey, question = _question(request, pk, question_pk)
    form = QuestionMoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Move a question up or down.")
    service_call(request, None, question_move, question=question, direction=form.cleaned_data["direction"])
    return redirect(f"{reverse('feedback:survey_detail', args=[survey.pk])}#question-{question.pk}")


@require_POST
@requires(access.may_manage_feedback)
def question_delete_view(request, pk: int, question_pk: int):
    survey, question = _question(request, pk, question_pk)
    if service_call(request, None, question_delete, question=question):
        messages.success(request, "The question was deleted.")
    return redirect("feedback:survey_detail", pk=survey.pk)


@require_POST
@requires(access.may_manage_feedback)
def survey_copy_view(request, pk: int):
    """Copy a survey to a new, editable version."""
    survey = access.survey_get_for_user(user=request.user, pk=pk)
    copy = service_call(request, None, survey_copy, survey=survey)
    if copy is None:
        return redirect("feedback:survey_detail", pk=survey.pk)
    messages.success(request, f"“{copy.title}” is a copy you can edit. Campaigns keep the survey they use.")
    return redirect("feedback:survey_detail", pk=copy.pk)


@require_GET
@requires(access.may_manage_feedback)
def campaign_list(request):
    campaigns = (
        access.campaigns_for_user(user=request.user)
        .filter(kind=CampaignKind.RECURRING)
        .select_related("survey")
        .annotate(round_count=Count("rounds"))
        .order_by("-created_at")
    )
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/campaign_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_feedback)
def campaign_create_view(request):
    form = CampaignForm(posted(request))
    if request.method == "POST" and form.is_valid():
        campaign = service_call(request, form, campaign_create, created_by=request.user, **form.cleaned_data)
        if campaign is not None:
            messages.success(request, "The campaign was created. Its rounds open on schedule.")
            return redirect("feedback:campaign_detail", pk=campaign.pk)
    return render(request, "feedback/campaign_form.html", {"form": form, "students": Audience.STUDENTS.label})


@require_GET
@requires(access.may_manage_feedback)
def campaign_detail(request, pk: int):
    campaign = access.campaign_get_for_user(user=request.user, pk=pk)
    rounds = (
        campaign.rounds.select_related("academic_year")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on")
    )
    return render(
        request,
        "feedback/campaign_detail.html",
        {
            "campaign": campaign,
            "rounds": Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page")),
            "officers": campaign.officers.all(),
            "schools": campaign.schools.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_ask_for_event_feedback)
def event_create(request):
    """Ask for feedback on one event: a one-off anonymous round with a shared link."""
    form = EventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        officer = Officer.objects.filter(user=request.user).first()
        round = service_call(
            request, form, event_round_create, created_by=request.user, officer=officer, **form.cleaned_data
        )
        if round is not None:
            messages.success(request, "The link is ready. Show it, or its QR code, to the room.")
            return redirect("feedback:event_detail", pk=round.pk)
    return render(request, "feedback/event_form.html", {"form": form})


def _qr_svg(link: str) -> str:
    """The link as an SVG QR code in a data: URL (pure Python, no image library; no inline markup
    for the page's content security policy to weigh)."""
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@require_GET
@requires(access.may_view_results)
def event_detail(request, pk: int):
    round = access.round_get_for_user(user=request.user, pk=pk)
    if round.max_answers is None:
        return redirect("feedback:round_results", pk=round.pk)
    link = absolute(reverse("feedback:event_answer", args=[event_token(round_id=round.pk)]))
    return render(
        request,
        "feedback/event_detail.html",
        {
            "round": round,
            "link": link,
            "qr": _qr_svg(link),
            "accepting": round.is_accepting,
            "open": RoundStatus.OPEN,
        },
    )
