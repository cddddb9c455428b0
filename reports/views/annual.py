"""The annual program report: the page, the narrative, the PDF (built by a worker) and the CSV zip.

Coordinators and administrators read it; an administrator reads only their schools' reports (the
district's too when district-wide). A year that does not exist, or a school outside the reader's
scope, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agreements.services.pdf import pdf_available
from district.models import AcademicYear
from district.selectors import academic_year_current
from reports import access
from reports.annual_forms import NarrativeForm
from reports.models import ReportBuild
from reports.selectors.annual import annual_report
from reports.services import annual as services
from reports.services.annual_exports import report_csv_zip, report_file_stem
from sro_program.views_support import requires


def _school(request):
    """The ``?school=`` the report is for (None: the district's), within the reader's scope."""
    raw = request.GET.get("school") or request.POST.get("school") or ""
    if not raw:
        if not access.sees_whole_district(request.user):
            return "choose"
        return None
    try:
        pk = int(raw)
    except ValueError:
        raise Http404("No such school.") from None
    return access.school_get_for_user(user=request.user, pk=pk)


def _report_url(year_id: int, school) -> str:
    url = reverse("reports:annual_report", args=[year_id])
    return f"{url}?school={school.pk}" if school else url


def _first_school_or_refuse(request, year_id: int):
    first = access.schools_for_user(user=request.user).order_by("name").first()
    if first is None:
        raise PermissionDenied
    return redirect(_report_url(year_id, first))


@require_GET
@requires(access.may_view_annual_report)
def annual_report_latest(request):
    """The current year's report (or the latest year's, when none is current): the district's, or
    the first of an administrator's schools."""
    year = academic_year_current() or AcademicYear.objects.order_by("-start_date").first()
    if year is None:
        return render(request, "reports/annual_no_years.html")
    school = None
    if not access.sees_whole_district(request.user):
        school = access.schools_for_user(user=request.user).order_by("name").first()
        if school is None:
            raise PermissionDenied
    return _report_page(request, year, school)


@require_GET
@requires(access.may_view_annual_report)
def annual_report_page(request, year_id: int):
    year = access.academic_year_get(pk=year_id)
    school = _school(request)
    if school == "choose":  # an administrator of some schools reads one school's report at a time
        return _first_school_or_refuse(request, year.pk)
    return _report_page(request, year, school)


def _report_page(request, year, school):
    report = annual_report(year=year, school=school)
    build = ReportBuild.objects.filter(
        academic_year=year, school=school, fingerprint=report.fingerprint
    ).first()
    narrative_form = None
    if access.may_edit_narrative(request.user):
        narrative_form = NarrativeForm(instance=report.narrative)
    return _render_report(request, report=report, narrative_form=narrative_form, build=build)


def _render_report(request, *, report, narrative_form, build, status: int = 200):
    return render(
        request,
        "reports/annual.html",
        {
            "report": report,
            "years": AcademicYear.objects.order_by("-start_date"),
            "schools": access.schools_for_user(user=request.user).order_by("name"),
            "whole_district": access.sees_whole_district(request.user),
            "narrative_form": narrative_form,
            "pdf_available": pdf_available(),
            "build": build,
        },
        status=status,
    )


@require_POST
@requires(access.may_edit_narrative)
def annual_narrative(request, year_id: int):
    year = access.academic_year_get(pk=year_id)
    school = _school(request)
    if school == "choose":
        raise Http404("No such report.")
    form = NarrativeForm(request.POST)
    if form.is_valid():
        services.narrative_save(year=year, school=school, user=request.user, **form.cleaned_data)
        messages.success(request, "The narrative was saved.")
        return redirect(_report_url(year.pk, school) + "#narrative")
    report = annual_report(year=year, school=school)
    return _render_report(request, report=report, narrative_form=form, build=None, status=400)


@require_POST
@requires(access.may_view_annual_report)
def annual_pdf_request(request, year_id: int):
    """Ask for the PDF: the one already built for these figures, or a build a worker makes."""
    year = access.academic_year_get(pk=year_id)
    school = _school(request)
    if school == "choose":
        raise Http404("No such report.")
    services.report_pdf_request(year=year, school=school, user=request.user)
    # Back to the report, which offers the download when the build is done and its progress until then.
    return redirect(_report_url(year.pk, school) + "#pdf")


@never_cache
@require_GET
@requires(access.may_view_annual_report)
def annual_pdf_status(request, year_id: int, build_id: int):
    """How far the build has got, for the page's progress bar (static/js/report_build.js)."""
    year = access.academic_year_get(pk=year_id)
    build = access.report_build_get_for_user(user=request.user, year=year, pk=build_id)
    return JsonResponse(
        {
            "status": build.status,
            "label": build.get_status_display(),
            "progress": build.progress,
            "finished": build.is_finished,
            "problem": build.problem,
            "download": reverse("reports:annual_pdf_download", args=[year.pk, build.pk])
            if build.is_done
            else "",
        }
    )


@require_GET
@requires(access.may_view_annual_report)
def annual_pdf_download(request, year_id: int, build_id: int):
    year = access.academic_year_get(pk=year_id)
    build = access.report_build_get_for_user(user=request.user, year=year, pk=build_id)
    if not build.is_done:
        raise Http404("This PDF is not ready.")
    scope = build.school.code if build.school else "district"
    response = HttpResponse(bytes(build.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year.name}-{scope}.pdf"'
    return response


@require_GET
@requires(access.may_view_annual_report)
def annual_csv(request, year_id: int):
    """Every table of the report as a CSV file, together in one zip."""
    year = access.academic_year_get(pk=year_id)
    school = _school(request)
    if school == "choose":
        raise Http404("No such report.")
    report = annual_report(year=year, school=school)
    response = HttpResponse(report_csv_zip(report=report), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{report_file_stem(report=report)}-tables.zip"'
    return response
