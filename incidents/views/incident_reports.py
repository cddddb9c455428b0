"""The incident report pages: the list, writing one (from scratch or promoted from an interaction),
one report with its people, notifications and status, and the officer's edit within the week."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from district.services.access_log import access_log_record
from incidents import access
from incidents.forms import (
    IncidentForm,
    IncidentNotificationForm,
    IncidentPersonForm,
    IncidentStatusForm,
    IncidentTypeForm,
    PromoteForm,
)
from incidents.models import IncidentType
from incidents.selectors.officers import officer_for_user, officer_schools_today, roster_for_officer
from incidents.services.incident_types import incident_type_save
from incidents.services.incidents import (
    incident_create,
    incident_notification_add,
    incident_person_add,
    incident_promote,
    incident_status_set,
    incident_update,
)
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_view_incidents)
def incident_list_view(request):
    incidents = (
        access.incidents_for_user(user=request.user)
        .select_related("school", "incident_type__parent", "officer")
        .annotate(people_count=Count("people"))
        .order_by("-occurred_at", "-pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_write": access.may_write_incidents(request.user),
        "may_manage_types": access.may_manage_incident_types(request.user),
    }
    return render(request, "incidents/incident_list.html", context)


@require_GET
@requires(access.may_manage_incident_types)
def incident_type_list_view(request):
    """Every type, each sub-category under its parent, with how many reports used it."""
    types = list(IncidentType.objects.select_related("parent").annotate(used=Count("incidents")))
    children: dict[int, list] = {}
    for incident_type in types:
        if incident_type.parent_id:
            children.setdefault(incident_type.parent_id, []).append(incident_type)
    rows = []
    for parent in sorted((t for t in types if not t.parent_id), key=lambda t: (t.position, t.name)):
        rows.append(parent)
        rows.extend(sorted(children.get(parent.pk, []), key=lambda t: (t.position, t.name)))
    return render(request, "incidents/incident_type_list.html", {"types": rows})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_incident_types)
def incident_type_edit_view(request, pk: int | None = None):
    """Add a type (no ``pk``) or change one."""
    incident_type = access.incident_type_get_for_user(user=request.user, pk=pk) if pk else None
    initial = (
        {
            "name": incident_type.name,
            "parent": incident_type.parent_id,
            "position": incident_type.position,
            "active": incident_type.active,
        }
        if incident_type
        else {"parent": request.GET.get("parent")}
    )
    form = IncidentTypeForm(posted(request), initial=initial, editing=incident_type)
    if request.method == "POST" and form.is_valid():
        saved = service_call(
            request, form, incident_type_save, incident_type=incident_type, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"The incident type {saved} was saved.")
            return redirect("incidents:incident_type_list")
    context = {"form": form, "incident_type": incident_type}
    return render(request, "incidents/incident_type_form.html", context)


@require_http_methods(["GET", "POST"])
@requires(access.may_write_incidents)
def incident_create_view(request):
    """A report from scratch."""
    officer = officer_for_user(user=request.user)
    if officer is None:
        return render(request, "incidents/no_officer.html")
    form = IncidentForm(posted(request), schools=officer_schools_today(officer=officer))
    if request.method == "POST" and form.is_valid():
        result = service_call(
            request,
            form,
            incident_create,
            author=request.user,
            key=form.cleaned_data["key"],
            **form.service_kwargs(),
        )
        if result is not None:
            incident, created = result
            messages.success(
                request, "The report was saved." if created else "This report was already saved."
            )
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form, "editing": None})


@require_POST
@requires(access.may_write_incidents)
def incident_promote_view(request, pk: int):
    """Promote an interaction the officer wrote: nothing it holds is typed again."""
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    if interaction.author_id != request.user.pk:
        raise PermissionDenied
    form = PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the incident type.")
        return redirect("incidents:interaction_detail", pk=interaction.pk)
    incident = service_call(
        request, None, incident_promote, user=request.user, interaction=interaction,
        incident_type=form.cleaned_data["incident_type"],
    )  # fmt: skip
    if incident is None:
        return redirect("incidents:interaction_detail", pk=interaction.pk)
    return redirect("incidents:incident_detail", pk=incident.pk)


@require_GET
@requires(access.may_view_incidents)
def incident_detail_view(request, pk: int):
    incident = access.incident_get_for_user(user=request.user, pk=pk)
    people = list(incident.people.select_related("student__school"))
    named = access.incident_student_ids_named_for(user=request.user, incident=incident, people=people)
    for person in people:
        if person.student_id in named:
            access_log_record(user=request.user, record=incident, student=person.student, path=request.path)
    may_change = access.may_change_incident(user=request.user, incident=incident)
    students = [p for p in people if p.student_id]
    context = {
        "incident": incident,
        "people": [p for p in people if not p.student_id or p.student_id in named],
        "unnamed_count": len(students) - len([p for p in students if p.student_id in named]),
        "show_text": len(named) == len({p.student_id for p in students}),
        "notifications": list(incident.notifications.all()),
        "versions": list(incident.history.select_related("history_user").order_by("-history_date")[:50]),
        "may_change": may_change,
        "may_edit": may_change and incident.editable_now,
    }
    if may_change:
        context.update(
            person_form=IncidentPersonForm(),
            notification_form=IncidentNotificationForm(),
            status_form=IncidentStatusForm(initial={"status": incident.status}),
        )
    return render(request, "incidents/incident_detail.html", context)


def _changing(request, pk: int):
    incident = access.incident_get_for_user(user=request.user, pk=pk)
    if not access.may_change_incident(user=request.user, incident=incident):
        raise PermissionDenied
    return incident


@require_http_methods(["GET", "POST"])
@requires(access.may_write_incidents)
def incident_edit_view(request, pk: int):
    incident = _changing(request, pk)
    if not incident.editable_now:
        raise PermissionDenied
    officer = incident.officer
    schools = officer_schools_today(officer=officer, including=incident.school_id)
    form = IncidentForm(posted(request), schools=schools, initial=IncidentForm.initial_for(incident))
    if request.method == "POST" and form.is_valid():
        saved = service_call(
            request, form, incident_update, user=request.user, incident=incident, **form.service_kwargs()
        )
        if saved is not None:
            messages.success(request, "Your changes were saved; the earlier version is kept in the history.")
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form, "editing": incident})


def _messages_from(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@requires(access.may_write_incidents)
def incident_person_view(request, pk: int):
    incident = _changing(request, pk)
    form = IncidentPersonForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
        return redirect("incidents:incident_detail", pk=incident.pk)
    data = form.cleaned_data
    roster = roster_for_officer(officer=incident.officer)
    student = (
        roster.filter(student_number=data["student"].strip()).first() if data["student"].strip() else None
    )
    if data["kind"] == "student" and student is None:
        messages.error(request, "No student with this id at your schools.")
        return redirect("incidents:incident_detail", pk=incident.pk)
    added = service_call(
        request, None, incident_person_add, user=request.user, incident=incident, kind=data["kind"],
        part=data["part"], student=student, name=data["name"], roster=roster,
    )  # fmt: skip
    if added is not None:
        messages.success(request, "Added.")
    return redirect("incidents:incident_detail", pk=incident.pk)


@require_POST
@requires(access.may_write_incidents)
def incident_notification_view(request, pk: int):
    incident = _changing(request, pk)
    form = IncidentNotificationForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
    else:
        data = form.cleaned_data
        done = service_call(
            request, None, incident_notification_add, user=request.user, incident=incident,
            party=data["party"], notified_at=data["notified_at"], note=data["note"],
        )  # fmt: skip
        if done is not None:
            messages.success(request, "The notification was recorded.")
    return redirect("incidents:incident_detail", pk=incident.pk)


@require_POST
@requires(access.may_write_incidents)
def incident_status_view(request, pk: int):
    incident = _changing(request, pk)
    form = IncidentStatusForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
    elif service_call(
        request, None, incident_status_set, user=request.user, incident=incident, **form.cleaned_data
    ):
        messages.success(request, "The status was saved.")
    return redirect("incidents:incident_detail", pk=incident.pk)
