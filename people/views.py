"""The People section: a coordinator invites people, changes their roles and scope, deactivates
them and resets a lost authenticator. And the public page where an invited person accepts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import user_has_device

from district.middleware import second_factor_required
from people.access import (
    invitation_get_for_user,
    invitations_for_user,
    may_manage_people,
    user_get_for_user,
    users_for_user,
)
from people.forms import AccessForm, InvitationAcceptForm, InvitationForm, UserFilter
from people.models import InvitationStatus
from people.selectors.invitations import invitation_for_token, invitation_problem, invitations_pending_count
from people.selectors.users import access_changes_for
from people.services.access import (
    user_access_update,
    user_authenticator_reset,
    user_deactivate,
    user_reactivate,
)
from people.services.invitations import (
    InvitationUnusable,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_days,
    invitation_resend,
    invitation_user,
)
from sro_program.views_support import posted, requires, service_call

PAGE_SIZE = 50


def _link_maker(request):
    return lambda token: request.build_absolute_uri(reverse("people:invitation_accept", args=[token]))


@require_GET
@requires(may_manage_people)
def user_list(request):
    """Everyone with an account: name, email, roles, scope, active or not; found by name, role, status."""
    people = users_for_user(user=request.user)
    user_filter = UserFilter(request.GET, queryset=people)
    page = Paginator(user_filter.qs.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/user_list.html",
        {"filter": user_filter, "page": page, "pending_count": invitations_pending_count(user=request.user)},
    )


@require_GET
@requires(may_manage_people)
def user_detail(request, pk: int):
    person = user_get_for_user(user=request.user, pk=pk)
    changes = Paginator(access_changes_for(user=person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/user_detail.html",
        {"person": person, "changes": changes, "has_authenticator": user_has_device(person, confirmed=None)},
    )


@require_http_methods(["GET", "POST"])
@requires(may_manage_people)
def user_access_edit(request, pk: int):
    """Change a person's roles and scope."""
    person = user_get_for_user(user=request.user, pk=pk)
    form = AccessForm(posted(request), person=person, initial=AccessForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        changes = service_call(
            request, form, user_access_update, actor=request.user, user=person, **form.cleaned_data
        )
        if changes is not None:
            if changes:
                messages.success(request, f"The roles and scope of {person} were saved.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("people:user_detail", pk=person.pk)
    return render(request, "people/user_access_form.html", {"form": form, "person": person})


def _account_action(request, pk: int, service, done: str):
    person = user_get_for_user(user=request.user, pk=pk)
    if service_call(request, None, service, actor=request.user, user=person) is not None:
        messages.success(request, done.format(person=person))
    return redirect("people:user_detail", pk=person.pk)


@require_POST
@requires(may_manage_people)
def user_deactivate_view(request, pk: int):
    return _account_action(
        request,
        pk,
        user_deactivate,
        "{person} is deactivated: they can no longer sign in, and their sessions ended.",
    )


@require_POST
@requires(may_manage_people)
def user_reactivate_view(request, pk: int):
    return _account_action(request, pk, user_reactivate, "{person} can sign in again.")


@require_POST
@requires(may_manage_people)
def user_authenticator_reset_view(request, pk: int):
    return _account_action(
        request,
        pk,
        user_authenticator_reset,
        "The authenticator of {person} was removed: they set up a new one at their next sign-in.",
    )


@require_GET
@requires(may_manage_people)
def invitation_list(request):
    invitations = invitations_for_user(user=request.user)
    status = request.GET.get("status", InvitationStatus.PENDING)
    if status in InvitationStatus.values:
        invitations = invitations.filter(status=status)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/invitation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": InvitationStatus.choices,
            "showing_pending": status == InvitationStatus.PENDING,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(may_manage_people)
def invitation_create_view(request):
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invitation = service_call(
            request,
            form,
            invitation_create,
            invited_by=request.user,
            link_for=_link_maker(request),
            **form.cleaned_data,
        )
        if invitation is not None:
            messages.success(request, f"An invitation is on its way to {invitation.email}.")
            return redirect("people:invitation_list")
    return render(
        request, "people/invitation_form.html", {"form": form, "invitation_days": invitation_days()}
    )


@require_POST
@requires(may_manage_people)
def invitation_resend_view(request, pk: int):
    invitation = invitation_get_for_user(user=request.user, pk=pk)
    sent = service_call(
        request,
        None,
        invitation_resend,
        actor=request.user,
        invitation=invitation,
        link_for=_link_maker(request),
    )
    if sent is not None:
        messages.success(request, f"The invitation was sent again to {sent.email}, with a new link.")
    return redirect("people:invitation_list")


@require_POST
@requires(may_manage_people)
def invitation_cancel_view(request, pk: int):
    invitation = invitation_get_for_user(user=request.user, pk=pk)
    if service_call(request, None, invitation_cancel, actor=request.user, invitation=invitation) is not None:
        messages.success(
            request, f"The invitation to {invitation.email} was cancelled; its link no longer works."
        )
    return redirect("people:invitation_list")


_UNUSABLE = {
    "unknown": (400, "This invitation link is not valid", "The link is incomplete or was changed."),
    "expired": (410, "This invitation has expired", "Invitation links work for a limited time."),
    "accepted": (410, "This invitation was already used", "Each invitation link works once."),
    "cancelled": (410, "This invitation was withdrawn", "The program coordinator cancelled or replaced it."),
}


def _unusable(request, reason: str):
    status, title, message = _UNUSABLE[reason]
    context = {"title": title, "message": message, "reason": reason}
    return render(request, "people/invitation_unusable.html", context, status=status)


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    """Public on purpose: the invited person has no account yet. The link's token is the key."""
    invitation = invitation_for_token(token=token)
    reason = invitation_problem(invitation=invitation)
    if reason is not None:
        return _unusable(request, reason)
    form = InvitationAcceptForm(invitation_user(invitation=invitation), posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if second_factor_required(user):
                messages.success(request, "Your password is set. Now set up two-factor sign-in.")
                return redirect("two_factor:setup")
            messages.success(request, "Your password is set. Welcome.")
            return redirect("home")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": invitation})


app_name = "people"

urlpatterns = [
    path("", user_list, name="user_list"),
    path("<int:pk>/", user_detail, name="user_detail"),
    path("<int:pk>/access/", user_access_edit, name="user_access_edit"),
    path("<int:pk>/deactivate/", user_deactivate_view, name="user_deactivate"),
    path("<int:pk>/reactivate/", user_reactivate_view, name="user_reactivate"),
    path("<int:pk>/reset-authenticator/", user_authenticator_reset_view, name="user_authenticator_reset"),
    path("invitations/", invitation_list, name="invitation_list"),
    path("invitations/new/", invitation_create_view, name="invitation_create"),
    path("invitations/<int:pk>/resend/", invitation_resend_view, name="invitation_resend"),
    path("invitations/<int:pk>/cancel/", invitation_cancel_view, name="invitation_cancel"),
    path("invitations/accept/<str:token>/", invitation_accept_view, name="invitation_accept"),
]
