"""Versions: reading one, editing a draft and its sections, publishing, the side-by-side diff, the
printable page and the history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import access
from agreements.forms import SectionForm, VersionForm
from agreements.models import AgreementVersion
from agreements.selectors import acknowledgements as ack_selectors
from agreements.selectors import history as history_selectors
from agreements.selectors import versions as selectors
from agreements.services import versions as services
from sro_program.views_support import posted, requires, service_call


def _show(request, version: AgreementVersion, template: str):
    version = selectors.version_with_sections(version=version)
    return render(
        request,
        template,
        {
            "agreement": version.agreement,
            "version": version,
            "checks": selectors.signature_checks(version=version),
            "can_manage": access.may_manage_agreements(request.user),
            "can_sign": version.is_active and access.may_sign(user=request.user, version=version),
            "acknowledgement": ack_selectors.acknowledgement_of(user=request.user, version=version),
            "must_acknowledge": version.is_active
            and ack_selectors.is_required(user=request.user, kind=version.agreement.kind),
        },
    )


@require_GET
@requires(access.may_view_agreements)
def version_detail(request, pk: int):
    return _show(
        request, access.version_get_for_user(user=request.user, pk=pk), "agreements/version_detail.html"
    )


@require_GET
@requires(access.may_view_agreements)
def version_print(request, pk: int):
    """The version and its signature block, laid out for paper (the browser's print prints it)."""
    return _show(
        request, access.version_get_for_user(user=request.user, pk=pk), "agreements/version_print.html"
    )


@require_POST
@requires(access.may_manage_agreements)
def version_draft(request, pk: int):
    """Start (or go back to) the agreement's draft."""
    agreement = access.agreement_get_for_user(user=request.user, pk=pk)
    draft = services.agreement_version_draft(agreement=agreement, created_by=request.user)
    return redirect("agreements:version_edit", draft.pk)


def _draft_for(request, pk: int) -> AgreementVersion:
    version = access.version_get_for_user(user=request.user, pk=pk)
    if not version.is_draft:
        raise Http404("Only a draft is edited; a published version never changes.")
    return version


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def version_edit(request, pk: int):
    version = _draft_for(request, pk)
    initial = {"title": version.title, "summary": version.summary, "public_input": version.public_input}
    form = VersionForm(posted(request), initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(
        request, form, services.agreement_version_update, version=version, **form.cleaned_data
    ):
        messages.success(request, f"Saved the draft of version {version.number}.")
        return redirect("agreements:version_edit", version.pk)
    previous = version.agreement.versions.filter(number__lt=version.number).order_by("-number").first()
    return render(
        request,
        "agreements/version_edit.html",
        {
            "version": version,
            "agreement": version.agreement,
            "form": form,
            "sections": version.sections.order_by("position"),
            "previous": previous,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def section_new(request, pk: int):
    version = _draft_for(request, pk)
    form = SectionForm(posted(request))
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(request, form, services.section_add, version=version, **form.cleaned_data):
        messages.success(request, f"Added the section “{form.cleaned_data['heading']}”.")
        return redirect("agreements:version_edit", version.pk)
    return _section_page(request, form, version, "Add a section")


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def section_edit(request, pk: int):
    section = access.section_get_for_user(user=request.user, pk=pk)
    initial = {"heading": section.heading, "section_type": section.section_type, "text": section.text}
    form = SectionForm(posted(request), initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(request, form, services.section_update, section=section, **form.cleaned_data):
        messages.success(request, f"Saved the section “{section.heading}”.")
        return redirect("agreements:version_edit", section.version_id)
    return _section_page(request, form, section.version, f"Edit the section “{section.heading}”")


def _section_page(request, form, version: AgreementVersion, heading: str):
    return render(
        request,
        "agreements/form_page.html",
        {
            "form": form,
            "heading": heading,
            "submit": "Save the section",
            "cancel": "agreements:version_edit",
            "cancel_arg": version.pk,
        },
    )


@require_POST
@requires(access.may_manage_agreements)
def section_delete(request, pk: int):
    section = access.section_get_for_user(user=request.user, pk=pk)
    version = section.version
    if service_call(request, None, services.section_delete, section=section) is None:
        return redirect("agreements:version_detail", version.pk)
    messages.success(request, f"Removed the section “{section.heading}”.")
    return redirect("agreements:version_edit", version.pk)


@require_POST
@requires(access.may_manage_agreements)
def section_move(request, pk: int):
    section = access.section_get_for_user(user=request.user, pk=pk)
    service_call(
        request, None, services.section_move, section=section, up=request.POST.get("direction") == "up"
    )
    return redirect("agreements:version_edit", section.version_id)


@require_POST
@requires(access.may_manage_agreements)
def version_publish(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    published = service_call(
        request, None, services.agreement_version_publish, version=version, published_by=request.user
    )
    if published is None:
        return redirect(
            "agreements:version_edit" if version.is_draft else "agreements:version_detail", version.pk
        )
    messages.success(request, f"Published version {published.number}; the previous version is superseded.")
    return redirect("agreements:version_diff", published.pk)


@require_GET
@requires(access.may_view_agreements)
def version_diff(request, pk: int):
    """``?against=<version id>``; by default the version just before this one."""
    version = access.version_get_for_user(user=request.user, pk=pk)
    versions = access.versions_for_user(user=request.user).filter(agreement_id=version.agreement_id)
    against = request.GET.get("against", "")
    if against.isdigit():
        old = versions.filter(pk=int(against)).first()
        if old is None:
            raise Http404("No such version of this agreement.")
    else:
        old = versions.filter(number__lt=version.number).order_by("-number").first()
    return render(
        request,
        "agreements/version_diff.html",
        {
            "agreement": version.agreement,
            "version": version,
            "old": old,
            "rows": selectors.version_diff(old=old, new=version),
            "choices": versions.exclude(pk=version.pk).order_by("-number"),
        },
    )


@require_GET
@requires(access.may_view_history)
def version_history(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    if not access.may_view_history(request.user):
        raise PermissionDenied
    return render(
        request,
        "agreements/version_history.html",
        {
            "agreement": version.agreement,
            "version": version,
            "page": history_selectors.version_history(version=version, page=request.GET.get("page")),
        },
    )
