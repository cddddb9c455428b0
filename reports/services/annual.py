"""The annual report's writes: the coordinator's narrative, and the PDF built once per set of figures.

A PDF is asked for with ``report_pdf_request``: the report's fingerprint (a digest of every figure and
word it shows) names the build, and the unique row per (year, school, fingerprint) is the claim, so
two people asking at once get one build. A worker takes the row with a conditional UPDATE
(``report_pdf_build``), so a doubled or retried task draws it once; a claim left by a dead worker is
taken again after BUILD_CLAIM_TIMEOUT.
"""

from __future__ import annotations

import datetime
import logging

from django.db import OperationalError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.services.pdf import PdfUnavailable, html_to_pdf
from district.models import AcademicYear, School
from reports.models import BuildStatus, ReportBuild, ReportNarrative
from reports.selectors.annual import annual_report
from sro_program.celery import queue_on_commit

logger = logging.getLogger(__name__)

BUILD_CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
BUILD_LOST_AFTER = datetime.timedelta(minutes=2)


@transaction.atomic
def narrative_save(
    *,
    year: AcademicYear,
    school: School | None,
    user,
    highlights: str,
    challenges: str,
    next_year_goals: str,
) -> ReportNarrative:
    """Keep the coordinator's narrative of one report (a year, district-wide or for one school)."""
    narrative, _ = ReportNarrative.objects.update_or_create(
        academic_year=year,
        school=school,
        defaults={
            "highlights": highlights,
            "challenges": challenges,
            "next_year_goals": next_year_goals,
            "updated_by": user,
        },
    )
    return narrative


def report_pdf_request(*, year: AcademicYear, school: School | None, user) -> ReportBuild:
    """The build of the report's PDF for its figures as they are now: the one already made or under
    way, or a new one queued for a worker. A failed build is queued again."""
    fingerprint = annual_report(year=year, school=school).fingerprint
    with transaction.atomic():
        # get_or_create inserts in a savepoint and, on the unique index's IntegrityError (someone
        # else's insert committed first), reads theirs: one row, whoever wins.
        build, created = ReportBuild.objects.get_or_create(
            academic_year=year,
            school=school,
            fingerprint=fingerprint,
            defaults={"requested_by": user},
        )
        retried = not created and (
            ReportBuild.objects.filter(pk=build.pk, status=BuildStatus.FAILED).update(
                status=BuildStatus.PENDING, progress=0, problem="", requested_at=timezone.now()
            )
        )
        # A build still waiting long after it was asked for lost its task message (a broker restart):
        # queue it again; the worker's claim keeps a doubled message from drawing it twice.
        lost = (
            not created
            and build.requested_at < timezone.now() - BUILD_LOST_AFTER
            and (
                build.status == BuildStatus.PENDING
                or (
                    build.status == BuildStatus.RUNNING
                    and build.started_at < timezone.now() - BUILD_CLAIM_TIMEOUT
                )
            )
        )
        if created or retried or lost:
            queue_on_commit("reports.tasks.report_pdf_build", build.pk)
    build.refresh_from_db()
    return build


def _claim(build_id: int) -> bool:
    now = timezone.now()
    takeable = Q(status=BuildStatus.PENDING) | Q(
        status=BuildStatus.RUNNING, started_at__lt=now - BUILD_CLAIM_TIMEOUT
    )
    return bool(
        ReportBuild.objects.filter(takeable, pk=build_id).update(
            status=BuildStatus.RUNNING, started_at=now, progress=5
        )
    )


def _progress(build_id: int, percent: int) -> None:
    # Autocommitted at once, so the page's progress bar sees it while the build goes on.
    ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(progress=percent)


def _fail(build_id: int, problem: str) -> None:
    ReportBuild.objects.filter(pk=build_id).update(
        status=BuildStatus.FAILED, problem=problem[:300], finished_at=timezone.now()
    )


def report_html(*, report) -> str:
    """The HTML the PDF is drawn from: the page's sections, tables and charts, without the page."""
    return render_to_string("reports/annual_pdf.html", {"report": report})


def report_pdf_build(*, build_id: int) -> bool:
    """Draw the PDF of a claimed build; False when another worker has it or it is already made."""
    if not _claim(build_id):
        return False
    build = ReportBuild.objects.select_related("academic_year", "school").get(pk=build_id)
    try:
        report = annual_report(year=build.academic_year, school=build.school)
        _progress(build_id, 30)
        if report.fingerprint != build.fingerprint:
            _fail(build_id, "The figures changed while the PDF was being made. Ask for it again.")
            return False
        html = report_html(report=report)
        _progress(build_id, 50)
        pdf = html_to_pdf(html=html)
    except PdfUnavailable as error:
        _fail(build_id, str(error))
        return False
    except OperationalError:
        # The database went away: give the row back so the task's retry can take it again.
        ReportBuild.objects.filter(pk=build_id).update(status=BuildStatus.PENDING, progress=0)
        raise
    except Exception:
        logger.exception("The PDF of report build %s failed", build_id)
        _fail(build_id, "The PDF could not be made. The program's administrators have been told.")
        return False
    with transaction.atomic():
        ReportBuild.objects.filter(pk=build_id, status=BuildStatus.RUNNING).update(
            status=BuildStatus.DONE, pdf=pdf, progress=100, finished_at=timezone.now()
        )
        # The same report's finished builds of older figures will never be served again.
        ReportBuild.objects.filter(
            academic_year_id=build.academic_year_id,
            school_id=build.school_id,
            status__in=[BuildStatus.DONE, BuildStatus.FAILED],
        ).exclude(pk=build_id).delete()
    return True
