"""Training pages: the catalogue, the yearly minimum, records and certificates, the compliance
matrix, and district-level joint sessions with invitations and attendance."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from district.selectors import academic_year_current
from officers import access
from officers.access import (
    officer_get_for_user,
    officers_for_record_entry,
    session_get_for_user,
    sessions_for_user,
    training_record_get_for_user,
)
from officers.forms.training import (
    AttendanceForm,
    SessionInviteForm,
    TrainingCourseForm,
    TrainingPolicyForm,
    TrainingRecordForm,
    TrainingSessionForm,
)
from officers.models import TrainingCourse, TrainingSession
from officers.selectors import training as selectors
from officers.services import training as services
from sro_program.views_support import errors_to_form, posted, requires

# --- Catalogue and policy ---------------------------------------------------------------------


@require_GET
@requires(access.may_view_courses)
def course_list(request):
    can_manage = access.may_manage_courses(request.user)
    courses = selectors.courses_list(include_inactive=can_manage)
    academic_year = academic_year_current()
    return render(
        request,
        "officers/training/course_list.html",
        {
            "courses": courses,
            "can_manage": can_manage,
            "academic_year": academic_year,
            "policy": selectors.policy_for(academic_year=academic_year),
            "can_set_policy": access.may_set_training_minimum(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_courses)
def course_new(request):
    return _course_form(request, TrainingCourse())


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_courses)
def course_edit(request, pk: int):
    return _course_form(request, selectors.course_get(pk=pk))


def _course_form(request, course: TrainingCourse):
    form = TrainingCourseForm(posted(request), instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_course_save(course=form.instance)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Saved the course “{course.title}”.")
            return redirect("officers:course_list")
    return render(request, "officers/training/course_form.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
@requires(access.may_set_training_minimum)
def policy_edit(request):
    academic_year = academic_year_current()
    if academic_year is None:
        raise Http404("There is no current academic year.")
    policy = selectors.policy_for(academic_year=academic_year)
    form = TrainingPolicyForm(posted(request), initial={"minimum_hours": policy and policy.minimum_hours})
    if request.method == "POST" and form.is_valid():
        services.training_policy_set(
            academic_year=academic_year, minimum_hours=form.cleaned_data["minimum_hours"]
        )
        messages.success(
            request, f"The minimum for {academic_year} is now {form.cleaned_data['minimum_hours']} hours."
        )
        return redirect("officers:course_list")
    return render(
        request, "officers/training/policy_form.html", {"form": form, "academic_year": academic_year}
    )


# --- Matrix and records -----------------------------------------------------------------------


@require_GET
@requires(access.may_view_training)
def training_matrix(request):
    matrix = selectors.training_matrix(user=request.user)
    return render(request, "officers/training/matrix.html", {"matrix": matrix})


@require_GET
@requires(access.may_view_training)
def officer_training(request, officer_pk: int):
    officer = officer_get_for_user(user=request.user, pk=officer_pk)
    context = selectors.officer_training_summary(officer=officer)
    context["can_add"] = access.may_add_training_record_for(user=request.user, officer=officer)
    context["can_verify"] = access.may_verify_training(request.user)
    return render(request, "officers/training/officer_training.html", context)


@require_http_methods(["GET", "POST"])
@requires(access.may_add_training_record)
def record_new(request):
    officers = officers_for_record_entry(user=request.user).select_related("agency")
    initial = {}
    if request.GET.get("officer"):
        initial["officer"] = request.GET["officer"]
    form = TrainingRecordForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        officers=officers,
        today=timezone.localdate(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.training_record_create(
                officer=data["officer"],
                course=data["course"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                certificate=data["certificate"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, f"Recorded {record.course} for {record.officer}. A coordinator will verify it."
            )
            return redirect("officers:officer_training", officer_pk=record.officer_id)
    return render(request, "officers/training/record_form.html", {"form": form, "record": None})


@require_http_methods(["GET", "POST"])
@requires(access.may_verify_training)
def record_edit(request, pk: int):
    record = training_record_get_for_user(user=request.user, pk=pk)
    initial = {"course": record.course_id, "completed_on": record.completed_on, "hours": record.hours}
    form = TrainingRecordForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        officers=officers_for_record_entry(user=request.user),
        record=record,
        today=timezone.localdate(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record_update(
                record=record,
                course=data["course"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                certificate=data["certificate"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Saved the training record.")
            return redirect("officers:officer_training", officer_pk=record.officer_id)
    return render(request, "officers/training/record_form.html", {"form": form, "record": record})


@require_POST
@requires(access.may_verify_training)
def record_verify(request, pk: int):
    record = training_record_get_for_user(user=request.user, pk=pk)
    services.training_record_verify(record=record, user=request.user)
    messages.success(request, f"Verified {record.course} for {record.officer}.")
    return redirect("officers:officer_training", officer_pk=record.officer_id)


@require_GET
@requires(access.may_view_training)
def record_certificate(request, pk: int):
    record = training_record_get_for_user(user=request.user, pk=pk)
    if not record.certificate:
        raise Http404("This record has no certificate.")
    name = record.certificate.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(record.certificate.open("rb"), content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Sessions ---------------------------------------------------------------------------------


@require_GET
@requires(access.may_view_sessions)
def session_list(request):
    sessions = list(sessions_for_user(user=request.user).order_by("-date"))
    today = timezone.localdate()
    return render(
        request,
        "officers/training/session_list.html",
        {
            "upcoming": [s for s in sessions if s.date >= today][::-1],
            "past": [s for s in sessions if s.date < today],
            "can_manage": access.may_manage_sessions(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_sessions)
def session_new(request):
    return _session_form(request, TrainingSession())


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_sessions)
def session_edit(request, pk: int):
    return _session_form(request, session_get_for_user(user=request.user, pk=pk))


def _session_form(request, session: TrainingSession):
    form = TrainingSessionForm(posted(request), instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_session_save(session=form.instance)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Saved the session.")
            return redirect("officers:session_detail", pk=form.instance.pk)
    return render(request, "officers/training/session_form.html", {"form": form, "session": session})


@require_GET
@requires(access.may_view_sessions)
def session_detail(request, pk: int):
    session = session_get_for_user(user=request.user, pk=pk)
    can_manage = access.may_manage_sessions(request.user)
    context = {"session": session, "can_manage": can_manage, "today": timezone.localdate()}
    if can_manage:
        context["participants"] = selectors.session_participants(session=session)
        context["invite_form"] = SessionInviteForm(session=session)
    return render(request, "officers/training/session_detail.html", context)


@require_POST
@requires(access.may_manage_sessions)
def session_invite(request, pk: int):
    session = session_get_for_user(user=request.user, pk=pk)
    form = SessionInviteForm(request.POST, session=session)
    if form.is_valid():
        try:
            added = services.session_invite(
                session=session,
                officers=form.cleaned_data["officers"],
                users=form.cleaned_data["users"],
                staff=form.cleaned_data["staff"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Invited {added} {'person' if added == 1 else 'people'}.")
            return redirect("officers:session_detail", pk=session.pk)
    context = {
        "session": session,
        "can_manage": True,
        "participants": selectors.session_participants(session=session),
        "invite_form": form,
        "today": timezone.localdate(),
    }
    return render(request, "officers/training/session_detail.html", context, status=400)


@require_POST
@requires(access.may_manage_sessions)
def session_participant_remove(request, pk: int, participant_pk: int):
    session = session_get_for_user(user=request.user, pk=pk)
    participant = get_object_or_404(session.participants, pk=participant_pk)
    services.session_participant_remove(participant=participant)
    messages.success(request, f"Withdrew the invitation of {participant}.")
    return redirect("officers:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_sessions)
def session_attendance(request, pk: int):
    session = session_get_for_user(user=request.user, pk=pk)
    participants = selectors.session_participants(session=session)
    form = AttendanceForm(posted(request), participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_attendance_take(
                session=session, attended_ids=form.attended_ids(), user=request.user
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Attendance saved; attending officers have a verified training record.")
            return redirect("officers:session_detail", pk=session.pk)
    return render(
        request,
        "officers/training/session_attendance.html",
        {"session": session, "form": form, "too_early": session.date > timezone.localdate()},
    )


urlpatterns = [
    path("training/", training_matrix, name="training_matrix"),
    path("training/courses/", course_list, name="course_list"),
    path("training/courses/new/", course_new, name="course_new"),
    path("training/courses/<int:pk>/edit/", course_edit, name="course_edit"),
    path("training/minimum/", policy_edit, name="policy_edit"),
    path("training/officers/<int:officer_pk>/", officer_training, name="officer_training"),
    path("training/records/new/", record_new, name="record_new"),
    path("training/records/<int:pk>/edit/", record_edit, name="record_edit"),
    path("training/records/<int:pk>/verify/", record_verify, name="record_verify"),
    path("training/records/<int:pk>/certificate/", record_certificate, name="record_certificate"),
    path("training/sessions/", session_list, name="session_list"),
    path("training/sessions/new/", session_new, name="session_new"),
    path("training/sessions/<int:pk>/", session_detail, name="session_detail"),
    path("training/sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("training/sessions/<int:pk>/invite/", session_invite, name="session_invite"),
    path(
        "training/sessions/<int:pk>/participants/<int:participant_pk>/remove/",
        session_participant_remove,
        name="session_participant_remove",
    ),
    path("training/sessions/<int:pk>/attendance/", session_attendance, name="session_attendance"),
]
