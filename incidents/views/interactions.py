"""The incidents pages: the quick log, a record with its addenda and history, the list, and the
roster type-ahead. Views parse, ask ``incidents.access``, call one service and respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from district.access import student_get_for_user
from district.roles import Role
from district.services.access_log import access_log_record, access_log_record_listed
from incidents import access
from incidents.forms import (
    AddendumForm,
    CategoryForm,
    DisclosureForm,
    ExportForm,
    InteractionFilter,
    InteractionForm,
    PromoteForm,
    RetentionRuleForm,
    StudentFormSet,
    student_initial_for,
)
from incidents.models import Category, Incident
from incidents.selectors.bright_lines import bright_line_choices, bright_line_statements
from incidents.selectors.interactions import (
    interaction_detail,
    interaction_list,
    interaction_versions,
    narrative_students_not_on_record,
    officers_for_filter,
    schools_for_filter,
    student_counts,
    students_search,
)
from incidents.selectors.officers import officer_for_user, officer_schools_today, roster_for_officer
from incidents.selectors.retention import interactions_due_for_retention, retention_rule
from incidents.services.categories import category_save
from incidents.services.disclosures import interaction_disclose, interactions_export
from incidents.services.interactions import addendum_add, interaction_create, interaction_update
from incidents.services.retention import retention_apply, retention_rule_set
from sro_program.pagination import CappedPaginator
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25
ADD_STUDENT = "add_student"


def _with_another_row(data):
    """The posted data with one more (empty) student row, for the no-script "Add a student" button."""
    data = data.copy()
    total = int(data.get("students-TOTAL_FORMS", "1") or 1)
    if total < StudentFormSet.max_num:
        data["students-TOTAL_FORMS"] = str(total + 1)
    return data


def _names_warning(request, form, formset, roster):
    """Roster students the note seems to name who are not on the record (the officer may confirm)."""
    if form.cleaned_data.get("confirm_names"):
        return []
    on_record = [entry.student.pk for entry in formset.entries(outcome_all="", action_all="")]
    named = narrative_students_not_on_record(
        roster=roster, narrative=form.cleaned_data.get("narrative", ""), student_ids=on_record
    )
    if named:
        # The warning shows their names: an access to their records like any list.
        access_log_record_listed(user=request.user, students=named, path=request.path)
        form.show_name_confirmation()
    return named


def _quick_log_form(request, *, officer, interaction=None):
    """The quick log for a new record or an edit: (form, formset, named-but-absent students, done)."""
    schools = officer_schools_today(officer=officer, including=interaction.school_id if interaction else None)
    roster = roster_for_officer(officer=officer)
    data = posted(request)
    adding_row = data is not None and ADD_STUDENT in data
    if adding_row:
        data = _with_another_row(data)
    initial, student_initial = {}, []
    if interaction is not None:
        initial = InteractionForm.initial_for(interaction)
        student_initial = student_initial_for(interaction)
    elif data is None:
        initial = {"category": request.GET.get("category")}
        wanted = request.GET.get("student", "")
        student = roster.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if student is not None:
            student_initial = [{"student": f"{student.full_name} ({student.student_number})"}]
    form = InteractionForm(
        data, schools=schools, initial=initial, category=interaction.category_id if interaction else None
    )
    formset = StudentFormSet(data, prefix="students", roster=roster, initial=student_initial or None)
    return form, formset, roster, adding_row


def _save(request, form, formset, roster, *, service, **kwargs):
    """Validate, warn about names, call the service; the saved record, or None to show the form again."""
    if not (form.is_valid() and formset.is_valid()):
        return None, []
    named = _names_warning(request, form, formset, roster)
    if named:
        return None, named
    entries = formset.entries(
        outcome_all=form.cleaned_data.get("outcome_all", ""),
        action_all=form.cleaned_data.get("action_all", ""),
    )
    result = service_call(request, form, service, students=entries, **kwargs, **form.service_kwargs())
    return result, []


@require_http_methods(["GET", "POST"])
@requires(access.may_log_interaction)
def interaction_create_view(request):
    """The quick log, built for a phone: opens on today's school and the current time."""
    officer = officer_for_user(user=request.user)
    if officer is None:
        return render(request, "incidents/no_officer.html", status=200)
    form, formset, roster, adding_row = _quick_log_form(request, officer=officer)
    named = []
    if request.method == "POST" and not adding_row:
        key = form.cleaned_data["key"] if form.is_valid() else None
        result, named = _save(
            request, form, formset, roster, service=interaction_create, author=request.user, key=key
        )
        if result is not None:
            interaction, created = result
            if created:
                messages.success(request, "Saved.")
            else:
                messages.info(request, "This interaction was already saved; here it is.")
            return redirect("incidents:interaction_detail", pk=interaction.pk)
    context = {"form": form, "formset": formset, "named": named, "editing": None}
    return render(request, "incidents/interaction_form.html", context)


@require_http_methods(["GET", "POST"])
@requires(access.may_log_interaction)
def interaction_edit_view(request, pk: int):
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    if not access.may_edit_interaction(user=request.user, interaction=interaction):
        raise PermissionDenied
    form, formset, roster, adding_row = _quick_log_form(
        request, officer=interaction.officer, interaction=interaction
    )
    named = []
    if request.method == "POST" and not adding_row:
        result, named = _save(
            request,
            form,
            formset,
            roster,
            service=interaction_update,
            user=request.user,
            interaction=interaction,
        )
        if result is not None:
            messages.success(request, "Your changes were saved; the earlier version is kept in the history.")
            return redirect("incidents:interaction_detail", pk=interaction.pk)
    context = {"form": form, "formset": formset, "named": named, "editing": interaction}
    return render(request, "incidents/interaction_form.html", context)


@require_GET
@requires(access.may_view_interactions)
def interaction_detail_view(request, pk: int):
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    detail = interaction_detail(interaction=interaction)
    named_ids = access.student_ids_named_for(
        user=request.user, interaction=interaction, student_rows=detail["student_rows"]
    )
    for row in detail["student_rows"]:
        if row.student_id in named_ids:
            access_log_record(user=request.user, record=interaction, student=row.student, path=request.path)
    context = {
        "interaction": interaction,
        **detail,
        "named_ids": named_ids,
        "unnamed_count": len([r for r in detail["student_rows"] if r.student_id]) - len(named_ids),
        "removed_count": len([r for r in detail["student_rows"] if r.student_id is None]),
        # Free text may name anyone on the record: shown only to those who see every name on it.
        "show_text": len(named_ids) == len([r for r in detail["student_rows"] if r.student_id]),
        "may_edit": access.may_edit_interaction(user=request.user, interaction=interaction),
        "may_add_addendum": access.may_add_addendum(user=request.user, interaction=interaction),
        "may_disclose": access.may_disclose_interaction(user=request.user, interaction=interaction),
        "may_promote": access.may_write_incidents(request.user) and interaction.author_id == request.user.pk,
        "promote_form": PromoteForm(),
        "incident_id": Incident.objects.filter(interaction=interaction).values_list("pk", flat=True).first(),
        "may_open_case": access.may_open_case(request.user)
        and (interaction.author_id == request.user.pk or request.user.has_role(Role.COORDINATOR)),
        "may_view_disclosures": access.may_view_disclosures(request.user),
        "addendum_form": AddendumForm(),
        "versions": interaction_versions(interaction=interaction),
    }
    return render(request, "incidents/interaction_detail.html", context)


@require_POST
@requires(access.may_view_interactions)
def addendum_add_view(request, pk: int):
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    if not access.may_add_addendum(user=request.user, interaction=interaction):
        raise PermissionDenied
    form = AddendumForm(request.POST)
    if form.is_valid() and service_call(
        request,
        form,
        addendum_add,
        user=request.user,
        interaction=interaction,
        text=form.cleaned_data["text"],
    ):
        messages.success(request, "The addendum was added.")
        return redirect("incidents:interaction_detail", pk=interaction.pk)
    for error in form.errors.get("text", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("incidents:interaction_detail", pk=interaction.pk)


def _filtered(request, interactions):
    found = InteractionFilter(request.GET, queryset=interactions)
    found.form.fields["officer"].queryset = officers_for_filter(user=request.user)
    found.form.fields["school"].queryset = schools_for_filter(user=request.user)
    return found


@require_GET
@requires(access.may_view_interactions)
def interaction_list_view(request):
    """Every record the user may see, filtered; no student names, so nothing here is logged."""
    found = _filtered(request, interaction_list(user=request.user))
    page = CappedPaginator(found.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    counts = student_counts(interactions=page.object_list)
    for interaction in page.object_list:
        interaction.student_count = counts.get(interaction.pk, 0)
    context = {
        "filter": found,
        "page": page,
        "may_export": access.may_export_interactions(request.user),
        "may_manage_retention": access.may_manage_retention(request.user),
        "may_manage_categories": access.may_manage_categories(request.user),
    }
    return render(request, "incidents/interaction_list.html", context)


@require_http_methods(["GET", "POST"])
@requires(access.may_export_interactions)
def interaction_export_view(request):
    """The list's records as CSV (coordinators): logged as an export, and as a disclosure when the
    file leaves the school."""
    found = _filtered(
        request, access.interactions_for_user(user=request.user).order_by("-occurred_at", "-pk")
    )
    form = ExportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        text = service_call(
            request,
            form,
            interactions_export,
            user=request.user,
            interactions=found.qs,
            recipient=form.cleaned_data["recipient"],
            purpose=form.cleaned_data["purpose"],
            search=request.GET.urlencode(),
            path=request.path,
        )
        if text is not None:
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            stamp = timezone.localtime().strftime("%Y-%m-%d")
            response["Content-Disposition"] = f'attachment; filename="interactions-{stamp}.csv"'
            return response
    count = found.qs.count()
    return render(request, "incidents/export_form.html", {"form": form, "filter": found, "count": count})


@require_http_methods(["GET", "POST"])
@requires(access.may_view_interactions)
def interaction_disclose_view(request, pk: int):
    """Enter the hand-over of one record in the disclosures register."""
    interaction = access.interaction_get_for_user(user=request.user, pk=pk)
    if not access.may_disclose_interaction(user=request.user, interaction=interaction):
        raise PermissionDenied
    form = DisclosureForm(posted(request))
    if request.method == "POST" and form.is_valid():
        disclosure = service_call(
            request,
            form,
            interaction_disclose,
            user=request.user,
            interaction=interaction,
            path=request.path,
            **form.cleaned_data,
        )
        if disclosure is not None:
            messages.success(
                request, f"The hand-over to {disclosure.recipient} is in the disclosures register."
            )
            return redirect("incidents:interaction_detail", pk=interaction.pk)
    return render(request, "incidents/disclose_form.html", {"form": form, "interaction": interaction})


@require_GET
@requires(access.may_view_disclosures)
def student_disclosures_view(request, pk: int):
    """A student's disclosures register: to whom, why, what and when."""
    student = student_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, record=student, student=student, path=request.path)
    disclosures = access.disclosures_of_student(user=request.user, student=student)
    page = Paginator(disclosures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "incidents/student_disclosures.html", {"student": student, "page": page})


@require_GET
@requires(access.may_log_interaction)
def student_search_view(request):
    """The quick log's type-ahead: the officer's schools' active students, a few at a time."""
    officer = officer_for_user(user=request.user)
    if officer is None:
        return JsonResponse({"results": []})
    text = request.GET.get("q", "")[:60]
    students = students_search(roster=roster_for_officer(officer=officer), text=text)
    if students:
        access_log_record_listed(user=request.user, students=students, search=text, path=request.path)
    results = [
        {
            "value": f"{s.full_name} ({s.student_number})",
            "label": f"{s.full_name}, {s.get_grade_display() or 'no grade'}, {s.school.name}",
        }
        for s in students
    ]
    return JsonResponse({"results": results})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_retention)
def retention_view(request):
    """The retention rule, and the records it says are due (no names: dates, schools and counts)."""
    rule = retention_rule()
    rule_form = RetentionRuleForm(
        request.POST if "save_rule" in request.POST else None,
        initial={"name": rule.name, "age_years": rule.age_years},
    )
    if request.method == "POST" and "save_rule" in request.POST:
        if rule_form.is_valid() and service_call(
            request, rule_form, retention_rule_set, **rule_form.cleaned_data
        ):
            messages.success(request, "The retention rule was saved.")
            return redirect("incidents:retention")
    elif request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("interaction") if pk.isdigit()]
        removed = retention_apply(user=request.user, interaction_ids=ids)
        if removed:
            messages.success(request, f"Identities were removed from {removed} record{pluralize(removed)}.")
        else:
            messages.info(request, "No record was chosen, or those chosen are no longer due.")
        return redirect("incidents:retention")
    due = interactions_due_for_retention().select_related("school", "category")
    page = Paginator(due, 50).get_page(request.GET.get("page"))
    context = {"rule": rule, "rule_form": rule_form, "page": page}
    return render(request, "incidents/retention.html", context)


@require_GET
@requires(access.may_manage_categories)
def category_list_view(request):
    categories = list(Category.objects.annotate(used=Count("interactions")).order_by("position", "name"))
    statements = bright_line_statements(codes=[category.bright_line_code for category in categories])
    for category in categories:
        category.bright_line_statement = statements.get(category.bright_line_code)
    return render(request, "incidents/category_list.html", {"categories": categories})


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_categories)
def category_edit_view(request, pk: int | None = None):
    """Add a category (no ``pk``) or change one."""
    category = access.category_get_for_user(user=request.user, pk=pk) if pk else None
    initial = (
        {
            "name": category.name,
            "position": category.position,
            "active": category.active,
            "bright_line_code": category.bright_line_code,
        }
        if category
        else {}
    )
    form = CategoryForm(
        posted(request),
        initial=initial,
        bright_lines=bright_line_choices(),
        current=category.bright_line_code if category else "",
    )
    if request.method == "POST" and form.is_valid():
        saved = service_call(request, form, category_save, category=category, **form.cleaned_data)
        if saved is not None:
            messages.success(request, f"The category {saved.name} was saved.")
            return redirect("incidents:category_list")
    return render(request, "incidents/category_form.html", {"form": form, "category": category})
