"""Project-wide pages: each role's home, password reset, and the error pages."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from agreements.selectors.acknowledgements import acknowledgements_outstanding, waiting_for
from district.roles import Role
from district.services.access_log import access_log_record_listed
from incidents.selectors.interactions import quick_log_home_context
from officers.selectors import home_context_for
from officers.selectors.training import sro_home_context
from reports.selectors.homes import administrator_home, officer_home, supervisor_home


@require_GET
def home(request):
    """Each role lands on its own home page; a user with several roles sees each part."""
    user = request.user
    context = home_context_for(user=user)
    if user.has_role(Role.SRO):
        context.update(sro_home_context(user=user))
        context.update(quick_log_home_context(user=user))
        if context.get("quick_log", {}).get("recent_students"):
            # The last students logged are named on the page: an access like any list.
            access_log_record_listed(
                user=user, students=context["quick_log"]["recent_students"], path=request.path
            )
    if user.has_role(Role.COORDINATOR):
        context["agreements_outstanding"] = acknowledgements_outstanding()
    if user.has_role(Role.SRO, Role.ADMINISTRATOR, Role.AGENCY_SUPERVISOR):
        context["agreements_waiting"] = waiting_for(user=user)
    # Counts from the program's figures: the administrator's dashboard in brief, the officer's open
    # follow-ups and feedback, the supervisor's officers (reports.selectors.homes).
    context.update(administrator_home(user=user))
    context.update(officer_home(user=user))
    context.update(supervisor_home(user=user))
    context["show"] = {role.value: user.has_role(role) for role in Role}
    return render(request, "home.html", context)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    pass


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass


def _error(request, status: int, title: str, message: str):
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


@login_not_required
def bad_request(request, exception=None):
    return _error(request, 400, "Bad request", "The request could not be understood. Go back and try again.")


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, 403, "Not allowed", "Your role does not give you access to this page.")


@login_not_required
def page_not_found(request, exception=None):
    return _error(
        request, 404, "Page not found", "There is no page at this address, or it is not yours to see."
    )


@login_not_required
def server_error(request):
    # Rendered without the request: its context processors read the session and the user, and the
    # error being reported may be that the database is down.
    context = {
        "status": 500,
        "title": "Something went wrong",
        "message": "The error has been logged. Please try again later.",
    }
    return HttpResponseServerError(loader.render_to_string("error.html", context))


@login_not_required
def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "Form expired",
        "This form was open too long or came from another site. Reload the page and submit it again.",
    )
