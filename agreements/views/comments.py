"""The public comment period of a draft: its dates, the comments received and the responses."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agreements import access
from agreements.forms import CommentForm, CommentPeriodForm, CommentResponseForm
from agreements.services import comments as services
from sro_program.views_support import posted, requires, service_call


@require_GET
@requires(access.may_view_agreements)
def version_comments(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "agreements/version_comments.html",
        {
            "version": version,
            "agreement": version.agreement,
            "comments": version.comments.all(),
            "can_manage": access.may_manage_agreements(request.user) and version.is_draft,
        },
    )


def _draft(request, pk: int):
    version = access.version_get_for_user(user=request.user, pk=pk)
    if not version.is_draft:
        raise Http404("Comments are taken on a draft.")
    return version


def _page(request, form, version, heading: str, submit: str):
    return render(
        request,
        "agreements/form_page.html",
        {"form": form, "heading": heading, "submit": submit, "cancel": "agreements:version_comments",
         "cancel_arg": version.pk},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def comment_period(request, pk: int):
    version = _draft(request, pk)
    initial = {"opens_on": version.comment_opens_on, "closes_on": version.comment_closes_on}
    form = CommentPeriodForm(posted(request), initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(
        request, form, services.comment_period_set, version=version, **form.cleaned_data
    ):
        messages.success(request, "Saved the comment period.")
        return redirect("agreements:version_comments", version.pk)
    return _page(
        request, form, version, f"Public comment period on draft {version.number}", "Save the period"
    )


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def comment_new(request, pk: int):
    version = _draft(request, pk)
    form = CommentForm(posted(request))
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(
        request, form, services.comment_record, version=version, recorded_by=request.user, **form.cleaned_data
    ):
        messages.success(request, "Recorded the comment.")
        return redirect("agreements:version_comments", version.pk)
    return _page(request, form, version, f"Record a comment on draft {version.number}", "Record the comment")


@require_http_methods(["GET", "POST"])
@requires(access.may_manage_agreements)
def comment_respond(request, pk: int):
    comment = access.comment_get_for_user(user=request.user, pk=pk)
    form = CommentResponseForm(posted(request), initial={"response": comment.response})
    saved = request.method == "POST" and form.is_valid()
    if saved and service_call(request, form, services.comment_respond, comment=comment, **form.cleaned_data):
        messages.success(request, "Saved the response.")
        return redirect("agreements:version_comments", comment.version_id)
    return _page(request, form, comment.version, "Respond to a comment", "Save the response")
