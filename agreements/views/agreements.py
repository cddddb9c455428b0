"""Agreements: the list, a new agreement, one agreement with its active version, its settings, its
bright lines and goals, and the public page of an active memorandum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agreements import access
from agreements.forms import AgreementCreateForm, AgreementSettingsForm, BrightLineForm, GoalForm
from agreements.models import Agreement, AgreementKind, BrightLine, Goal
from agreements.selectors import versions as version_selectors
from agreements.services import agreements as services
from agreements.services import items as item_services
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 25


@require_GET
@requires(access.may_view_agreements)
def agreement_list(request):
    agreements = access.agreements_for_user(user=request.user).select_related("agency")
    kind = request.GET.get("kind", "")
    if kind in AgreementKind.values:
        agreements = agreements.filter(kind=kind)
    page = Paginator(agreements.order_by("kind", "title"), PAGE_SIZE).get_page(request.GET.get("page"))
    active = version_selectors.active_versions_of(agreements=list(page))
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "page": page,
            "rows": [(agreement, active.get(agreement.pk)) for agreement in page],
            "kinds": AgreementKind.choices,
            "kind": kind,
            "can_manage": access.may_manage_agreements(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def agreement_new(request):
    form = AgreementCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        agreement = service_call(
            request, form, services.agreement_create, created_by=request.user, **form.cleaned_data
        )
        if agreement is not None:
            messages.success(request, f"Created “{agreement.title}” with an empty first draft.")
            return redirect("agreements:version_edit", agreement.versions.get().pk)
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "heading": "New agreement",
            "submit": "Create the agreement",
            "cancel": "agreements:agreement_list",
        },
    )


@require_GET
@requires(access.may_view_agreements)
def agreement_detail(request, pk: int):
    agreement = access.agreement_get_for_user(user=request.user, pk=pk)
    can_manage = access.may_manage_agreements(request.user)
    active = version_selectors.version_active(agreement=agreement)
    if active is not None:
        active = version_selectors.version_with_sections(version=active)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "version": active,
            "checks": version_selectors.signature_checks(version=active) if active else [],
            "versions": version_selectors.versions_of(agreement=agreement, include_drafts=can_manage),
            "bright_lines": agreement.bright_lines.all(),
            "goals": agreement.goals.all(),
            "can_manage": can_manage,
            "can_sign": active is not None and access.may_sign(user=request.user, version=active),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def agreement_settings(request, pk: int):
    agreement = access.agreement_get_for_user(user=request.user, pk=pk)
    initial = {
        "district_signatory": agreement.district_signatory,
        "review_date": agreement.review_date,
        "is_public": agreement.is_public,
    }
    form = AgreementSettingsForm(posted(request), initial=initial)
    if not agreement.is_mou:
        for name in ("district_signatory", "is_public"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        saved = service_call(
            request, form, services.agreement_update, agreement=agreement, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, f"Saved the settings of “{agreement.title}”.")
            return redirect("agreements:agreement_detail", agreement.pk)
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "heading": f"Settings of {agreement.title}",
            "submit": "Save",
            "cancel": "agreements:agreement_detail",
            "cancel_arg": agreement.pk,
        },
    )


def _item_form(request, *, agreement: Agreement, instance, form_class, service, noun: str):
    form = form_class(posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.agreement = agreement
        saved = service_call(request, form, service, **{noun: form.instance})
        if saved is not None:
            messages.success(request, f"Saved “{saved.statement}”.")
            return redirect("agreements:agreement_detail", agreement.pk)
    label = "bright line" if noun == "bright_line" else "goal"
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "heading": f"{'Edit the' if instance.pk else 'New'} {label} of {agreement.title}",
            "submit": "Save",
            "cancel": "agreements:agreement_detail",
            "cancel_arg": agreement.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def bright_line_new(request, pk: int):
    agreement = access.agreement_get_for_user(user=request.user, pk=pk)
    return _item_form(
        request, agreement=agreement, instance=BrightLine(agreement=agreement), form_class=BrightLineForm,
        service=item_services.bright_line_save, noun="bright_line",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def bright_line_edit(request, pk: int):
    line = access.bright_line_get_for_user(user=request.user, pk=pk)
    return _item_form(
        request, agreement=line.agreement, instance=line, form_class=BrightLineForm,
        service=item_services.bright_line_save, noun="bright_line",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def goal_new(request, pk: int):
    agreement = access.agreement_get_for_user(user=request.user, pk=pk)
    return _item_form(
        request, agreement=agreement, instance=Goal(agreement=agreement), form_class=GoalForm,
        service=item_services.goal_save, noun="goal",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def goal_edit(request, pk: int):
    goal = access.goal_get_for_user(user=request.user, pk=pk)
    return _item_form(
        request, agreement=goal.agreement, instance=goal, form_class=GoalForm,
        service=item_services.goal_save, noun="goal",
    )  # fmt: skip


@login_not_required  # Public on purpose: families may read the memorandum the coordinator published.
@require_GET
def agreement_public(request, pk: int):
    version = version_selectors.version_with_sections(version=access.public_version_get(pk=pk))
    return render(
        request,
        "agreements/agreement_public.html",
        {
            "agreement": version.agreement,
            "version": version,
            "checks": version_selectors.signature_checks(version=version),
        },
    )
