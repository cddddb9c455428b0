"""Roster pages: students, and the OneRoster import."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sro_program.views_support import requires

from . import access
from .access import (
    access_log_for_student,
    roster_import_get_for_user,
    roster_imports_for_user,
    student_get_for_user,
    students_for_user,
)
from .filters import AccessLogFilter, StudentFilter
from .forms import RosterImportForm, StudentProgramsForm
from .models import ImportStatus
from .oneroster.schema import RosterFileError
from .selectors import schools_for_administration
from .services import student_programs
from .services.access_log import access_log_record, access_log_record_listed
from .services.roster_import import roster_import_create

PAGE_SIZE = 50


@require_GET
@requires(access.may_view_roster)
def student_list(request):
    """The roster, narrowed to the schools the user serves."""
    students = students_for_user(user=request.user).select_related("school")
    student_filter = StudentFilter(
        request.GET, queryset=students, schools=schools_for_administration(user=request.user)
    )
    page = Paginator(student_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # loaded once, for the log and the page alike
    # The names on the page are an access to each student's record, as opening one is.
    access_log_record_listed(
        user=request.user, students=page.object_list, search=request.GET.urlencode(), path=request.path
    )
    return render(request, "district/student_list.html", {"filter": student_filter, "page": page})


@require_GET
@requires(access.may_view_roster)
def student_detail(request, pk: int):
    student = student_get_for_user(user=request.user, pk=pk)
    access_log_record(user=request.user, record=student, student=student, path=request.path)
    guardians = student.guardians.filter(active=True)
    return render(request, "district/student_detail.html", {"student": student, "guardians": guardians})


ACCESS_LOG_PAGE_SIZE = 50


@require_GET
@requires(access.may_view_access_log)
def student_access_log(request, pk: int):
    """Who opened, listed or exported one student's records, and when (coordinators)."""
    student = student_get_for_user(user=request.user, pk=pk)
    log = access_log_for_student(user=request.user, student=student)
    entries = AccessLogFilter(request.GET, queryset=log)
    page = Paginator(entries.qs, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "district/student_access_log.html", {"student": student, "filter": entries, "page": page}
    )


# OneRoster import ----------------------------------------------------------------------------------

IMPORT_PAGE_SIZE = 25
IMPORT_ERROR_PAGE_SIZE = 100


@require_GET
@requires(access.may_view_roster_imports)
def import_list(request):
    """Every roster import, newest first."""
    imports = roster_imports_for_user(user=request.user).defer("errors", "summary")  # large; not listed
    page = Paginator(imports, IMPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "district/import_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@requires(access.may_import_roster)
def import_new(request):
    """Upload a OneRoster export; a small one is imported at once, a large one in the background."""
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster_import = roster_import_create(
                uploaded_by=request.user, file=upload, original_name=upload.name
            )
        except RosterFileError as exc:  # not a readable export at all: nothing was kept
            form.add_error("file", str(exc))
        else:
            _say_how_the_import_went(request, roster_import)
            return redirect("district:import_detail", pk=roster_import.pk)
    return render(
        request,
        "district/import_form.html",
        {"form": form, "demographics_enabled": settings.SRO_DEMOGRAPHICS_ENABLED},
    )


def _say_how_the_import_went(request, roster_import) -> None:
    if roster_import.status == ImportStatus.SUCCEEDED:
        messages.success(request, "The roster was imported.")
    elif roster_import.status == ImportStatus.FAILED:
        messages.error(
            request, "The export was rejected and nothing was written. The problems are listed below."
        )
    else:
        messages.info(request, "The export is large, so it is being imported in the background.")


@require_GET
@requires(access.may_view_roster_imports)
def import_detail(request, pk: int):
    """An import's progress, then what it changed or every row it rejected."""
    roster_import = roster_import_get_for_user(user=request.user, pk=pk)
    errors = Paginator(roster_import.errors, IMPORT_ERROR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "district/import_detail.html", {"roster_import": roster_import, "page": errors})


@never_cache
@require_GET
@requires(access.may_view_roster_imports)
def import_status(request, pk: int):
    """The progress that the detail page polls while the import runs (static/js/app.js)."""
    roster_import = roster_import_get_for_user(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": roster_import.status,
            "status_label": roster_import.get_status_display(),
            "percent": roster_import.percent_done,
            "rows_done": roster_import.rows_done,
            "rows_total": roster_import.rows_total,
            "finished": roster_import.is_finished,
        }
    )


# Student programs (disability group and English-learner status) ------------------------------------


@require_http_methods(["GET", "POST"])
@requires(access.may_import_roster)
def student_programs_import(request):
    """Upload the student programs CSV: every row checked, then all written or nothing; not kept."""
    if not settings.SRO_DEMOGRAPHICS_ENABLED:
        return render(request, "district/student_programs_import.html", {"enabled": False})
    form = StudentProgramsForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        # Read in memory and dropped with the request: the file is never stored.
        data = form.cleaned_data["file"].read()
        try:
            counts = student_programs.student_programs_import(data=data)
        except student_programs.StudentProgramsRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                f"Student programs imported: {counts['rows']} rows, {counts['created']} students added, "
                f"{counts['updated']} changed, {counts['unchanged']} unchanged.",
            )
            return redirect("district:student_programs_import")
    return render(
        request,
        "district/student_programs_import.html",
        {"enabled": True, "form": form, "errors": errors},
        status=400 if errors else 200,
    )
