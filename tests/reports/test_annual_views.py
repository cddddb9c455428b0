"""The annual report's pages: who may open what, bad input, the narrative, the PDF and the CSV zip,
a machine without Pango, one build for two requests at once, and queries that do not grow."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.services.pdf import PdfUnavailable
from district.roles import Role
from reports.models import BuildStatus, ReportBuild, ReportNarrative
from reports.selectors.annual import annual_report
from reports.services import annual as services
from tests.access import access_table, status_for
from tests.district.factories import UserFactory
from tests.officers.factories import OfficerFactory
from tests.reports.annual_factories import contact, referral, student, years
from tests.threads import at_once

FAKE_PDF = b"%PDF-1.7 test\n%%EOF\n"


@pytest.fixture
def drawn(monkeypatch):
    """WeasyPrint replaced by a counter: these tests are about the builds, not the drawing."""
    calls = []

    def fake(*, html):
        calls.append(html)
        return FAKE_PDF

    monkeypatch.setattr(services, "html_to_pdf", fake)
    return calls


@pytest.fixture
def report_year(db, academic_year):
    return academic_year


@pytest.fixture
def builds(report_year, school):
    district = ReportBuild.objects.create(
        academic_year=report_year, fingerprint="a" * 64, status=BuildStatus.DONE, pdf=FAKE_PDF, progress=100
    )
    one = ReportBuild.objects.create(
        academic_year=report_year, school=school, fingerprint="b" * 64, status=BuildStatus.DONE, pdf=FAKE_PDF
    )
    return {"district": district, "school": one}


def _url(name, request, builds=None):
    year = request.getfixturevalue("report_year")
    school = request.getfixturevalue("school")
    builds = request.getfixturevalue("builds")
    return {
        "latest": reverse("reports:annual_report_latest"),
        "district_report": reverse("reports:annual_report", args=[year.pk]),
        "school_report": reverse("reports:annual_report", args=[year.pk]) + f"?school={school.pk}",
        "missing_year": reverse("reports:annual_report", args=[year.pk + 1000]),
        "bad_school": reverse("reports:annual_report", args=[year.pk]) + "?school=abc",
        "district_csv": reverse("reports:annual_csv", args=[year.pk]),
        "school_csv": reverse("reports:annual_csv", args=[year.pk]) + f"?school={school.pk}",
        "district_pdf": reverse("reports:annual_pdf_download", args=[year.pk, builds["district"].pk]),
        "district_pdf_status": reverse("reports:annual_pdf_status", args=[year.pk, builds["district"].pk]),
        "school_pdf": reverse("reports:annual_pdf_download", args=[year.pk, builds["school"].pk]),
        "school_pdf_status": reverse("reports:annual_pdf_status", args=[year.pk, builds["school"].pk]),
        "pdf_wrong_year": reverse("reports:annual_pdf_download", args=[year.pk + 1000, builds["school"].pk]),
        "narrative": reverse("reports:annual_narrative", args=[year.pk]),
        "school_narrative": reverse("reports:annual_narrative", args=[year.pk]) + f"?school={school.pk}",
        "pdf_request": reverse("reports:annual_pdf_request", args=[year.pk]) + f"?school={school.pk}",
        "district_pdf_request": reverse("reports:annual_pdf_request", args=[year.pk]),
    }[name]


# People: anonymous, outsider, officer_user, supervisor, school_admin (of ``school``),
# other_school_admin, district_admin (the superintendent), coordinator. SROs and agency supervisors
# read no report (403); an administrator reads their own schools' (a district-wide one, all);
# outside the reader's scope is a 404, and so is a year that does not exist.
ACCESS = {
    "latest": [302, 403, 403, 403, 200, 200, 200, 200],
    # An administrator of some schools is sent to their first school's report.
    "district_report": [302, 403, 403, 403, 302, 302, 200, 200],
    "school_report": [302, 403, 403, 403, 200, 404, 200, 200],
    "missing_year": [302, 403, 403, 403, 404, 404, 404, 404],
    "bad_school": [302, 403, 403, 403, 404, 404, 404, 404],
    "district_csv": [302, 403, 403, 403, 404, 404, 200, 200],
    "school_csv": [302, 403, 403, 403, 200, 404, 200, 200],
    "district_pdf": [302, 403, 403, 403, 404, 404, 200, 200],
    "district_pdf_status": [302, 403, 403, 403, 404, 404, 200, 200],
    "school_pdf": [302, 403, 403, 403, 200, 404, 200, 200],
    "school_pdf_status": [302, 403, 403, 403, 200, 404, 200, 200],
    "pdf_wrong_year": [302, 403, 403, 403, 404, 404, 404, 404],
}
POSTS = {
    "narrative": [302, 403, 403, 403, 403, 403, 403, 302],
    "school_narrative": [302, 403, 403, 403, 403, 403, 403, 302],
    "pdf_request": [302, 403, 403, 403, 302, 404, 302, 302],
    "district_pdf_request": [302, 403, 403, 403, 404, 404, 302, 302],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS))
def test_who_may_open_each_page(request, client, verified_client, page, person, expected):
    url = _url(page, request)
    assert status_for(request, client, verified_client, person, url) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "person", "expected"), access_table(POSTS))
def test_who_may_post(request, client, verified_client, drawn, page, person, expected):
    url = _url(page, request)
    data = {"highlights": "Fewer arrests.", "challenges": "", "next_year_goals": ""}
    assert status_for(request, client, verified_client, person, url, method="post", data=data) == expected


@pytest.mark.django_db
def test_posts_only(verified_client, coordinator, report_year):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("reports:annual_narrative", args=[report_year.pk])).status_code == 405
    assert (
        verified_client.get(reverse("reports:annual_pdf_request", args=[report_year.pk])).status_code == 405
    )


@pytest.mark.django_db
def test_the_coordinator_writes_the_narrative_kept_per_report(
    verified_client, coordinator, report_year, school
):
    verified_client.login(coordinator)
    district_url = reverse("reports:annual_narrative", args=[report_year.pk])
    data = {
        "highlights": "Arrests halved.",
        "challenges": "Coverage at the middle school.",
        "next_year_goals": "More",
    }
    assert verified_client.post(district_url, data).status_code == 302
    assert (
        verified_client.post(
            district_url + f"?school={school.pk}", {**data, "highlights": "Ours"}
        ).status_code
        == 302
    )
    assert verified_client.post(district_url, {**data, "challenges": "Changed"}).status_code == 302
    assert ReportNarrative.objects.count() == 2
    kept = ReportNarrative.objects.get(school=None)
    assert (kept.highlights, kept.challenges) == ("Arrests halved.", "Changed")
    page = verified_client.get(reverse("reports:annual_report", args=[report_year.pk]))
    assert "Arrests halved." in page.content.decode() and "Ours" not in page.content.decode()
    too_long = verified_client.post(district_url, {**data, "highlights": "x" * 5001})
    assert (
        too_long.status_code == 400
        and ReportNarrative.objects.get(school=None).highlights == "Arrests halved."
    )


@pytest.mark.django_db
def test_the_page_shows_every_section_and_the_charts(verified_client, district_admin, report_year):
    verified_client.login(district_admin)
    html = verified_client.get(reverse("reports:annual_report", args=[report_year.pk])).content.decode()
    for heading in ("Program overview", "Training", "Agreements", "Activity", "Law-enforcement actions",
                    "Incidents", "Feedback", "Goals of the agreement", "The year in words"):  # fmt: skip
        assert f">{heading}</h2>" in html
    assert html.count("<svg") == 2 and 'aria-hidden="true"' in html
    assert "Write the year in words" not in html  # the narrative is the coordinator's


@pytest.mark.django_db
def test_the_pdf_is_built_once_then_downloaded_until_the_figures_change(
    verified_client, district_admin, report_year, school, drawn, django_capture_on_commit_callbacks
):
    verified_client.login(district_admin)
    ask = reverse("reports:annual_pdf_request", args=[report_year.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = verified_client.post(ask)
    build = ReportBuild.objects.get()
    # Tasks run eagerly here: the build is made on commit; the page then offers the download.
    assert first["Location"] == reverse("reports:annual_report", args=[report_year.pk]) + "#pdf"
    assert build.status == BuildStatus.DONE
    download_url = reverse("reports:annual_pdf_download", args=[report_year.pk, build.pk])
    assert f'href="{download_url}"' in verified_client.get(first["Location"]).content.decode()
    verified_client.post(ask)
    download = verified_client.get(download_url)
    assert download.status_code == 200 and download.content == FAKE_PDF
    assert download["Content-Type"] == "application/pdf"
    assert len(drawn) == 1 and ReportBuild.objects.count() == 1
    page = verified_client.get(reverse("reports:annual_report", args=[report_year.pk])).content.decode()
    assert "Download the PDF" in page
    # New figures, new fingerprint: a new build.
    officer = OfficerFactory(user=UserFactory(roles=[Role.SRO]))
    contact(officer=officer, school=school, day=report_year.start_date + datetime.timedelta(days=40))
    assert (
        "Make the PDF"
        in verified_client.get(reverse("reports:annual_report", args=[report_year.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        verified_client.post(ask)
    # Drawn again; the old figures' PDF is not kept, and its address is gone.
    assert len(drawn) == 2 and ReportBuild.objects.get().pk != build.pk
    assert verified_client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_a_build_in_progress_shows_a_progress_bar_polled_from_static_js(
    verified_client, coordinator, report_year
):
    report = annual_report(year=report_year, school=None)
    build = ReportBuild.objects.create(
        academic_year=report_year, fingerprint=report.fingerprint, status=BuildStatus.RUNNING, progress=30
    )
    verified_client.login(coordinator)
    html = verified_client.get(reverse("reports:annual_report", args=[report_year.pk])).content.decode()
    status_url = reverse("reports:annual_pdf_status", args=[report_year.pk, build.pk])
    assert f'data-status-url="{status_url}"' in html and "js/report_build.js" in html
    state = verified_client.get(status_url).json()
    assert state == {"status": "running", "label": "Being built", "progress": 30, "finished": False,
                     "problem": "", "download": ""}  # fmt: skip


@pytest.mark.django_db
def test_without_pango_the_page_says_so_plainly(verified_client, coordinator, report_year, monkeypatch):
    monkeypatch.setattr("reports.views.annual.pdf_available", lambda: False)
    verified_client.login(coordinator)
    response = verified_client.get(reverse("reports:annual_report", args=[report_year.pk]))
    assert response.status_code == 200
    assert "PDFs cannot be made on this server" in response.content.decode()


@pytest.mark.django_db
def test_a_build_without_pango_fails_with_its_reason_not_a_500(
    verified_client, coordinator, report_year, monkeypatch, django_capture_on_commit_callbacks
):
    def missing(*, html):
        raise PdfUnavailable("PDFs cannot be made on this server: Pango is missing.")

    monkeypatch.setattr(services, "html_to_pdf", missing)
    verified_client.login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(reverse("reports:annual_pdf_request", args=[report_year.pk]))
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.FAILED and "Pango" in build.problem
    page = verified_client.get(response["Location"])
    assert page.status_code == 200 and "Pango is missing" in page.content.decode()


@pytest.mark.django_db
def test_the_csv_zip_holds_one_csv_per_table(verified_client, coordinator, report_year):
    verified_client.login(coordinator)
    response = verified_client.get(reverse("reports:annual_csv", args=[report_year.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    report = annual_report(year=report_year, school=None)
    names = archive.namelist()
    assert len(names) == len(report.tables) and all(name.endswith(".csv") for name in names)
    first = archive.read(names[0]).decode().splitlines()
    assert first[0].startswith("Figure,")


@pytest.mark.django_db
def test_the_real_pdf_has_the_reports_headings(report_year):
    """WeasyPrint itself (skipped where Pango is missing): a tagged PDF with the section headings
    in its outline."""
    from agreements.services.pdf import pdf_available
    from tests.agreements.pdf_text import flat, pdf_text

    if not pdf_available():
        pytest.skip("WeasyPrint cannot load Pango here")
    report = annual_report(year=report_year, school=None)
    pdf = services.html_to_pdf(html=services.report_html(report=report))
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    assert "Page 1 of" in text and "Contents" in text  # print-ready: numbered, with its contents
    for heading in (
        "Annual program report",
        "Program overview",
        "Law-enforcement actions",
        "Goals of the agreement",
    ):
        assert heading in text, heading


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_make_one_build(coordinator, academic_year, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "queue_on_commit", lambda name, *args: queued.append(args))
    results = at_once(
        lambda: services.report_pdf_request(year=academic_year, school=None, user=coordinator).pk
    )
    assert len(set(results)) == 1 and ReportBuild.objects.count() == 1
    assert len(queued) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_draw_the_pdf_once(academic_year, drawn):
    report = annual_report(year=academic_year, school=None)
    build = ReportBuild.objects.create(academic_year=academic_year, fingerprint=report.fingerprint)
    results = at_once(lambda: services.report_pdf_build(build_id=build.pk))
    assert sorted(results) == [False, True]
    assert len(drawn) == 1
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE and bytes(build.pdf) == FAKE_PDF


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_again(academic_year, drawn):
    from django.utils import timezone

    report = annual_report(year=academic_year, school=None)
    build = ReportBuild.objects.create(
        academic_year=academic_year, fingerprint=report.fingerprint, status=BuildStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )  # fmt: skip
    assert services.report_pdf_build(build_id=build.pk) is False
    ReportBuild.objects.filter(pk=build.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.report_pdf_build(build_id=build.pk) is True


def _data(*, school, other_school, officer, year, scale):
    """``scale`` law-enforcement contacts and mentoring contacts a month, at both schools."""
    for n in range(scale):
        day = year.start_date + datetime.timedelta(days=20 + n * 3)
        for where in (school, other_school):
            referral(officer=officer, school=where, day=day, student=student(school=where))
            contact(officer=officer, school=where, day=day, anonymous=2)


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_with_ten_times_the_data(
    settings, verified_client, coordinator, school, other_school, officer_user, agency
):
    settings.SRO_DEMOGRAPHICS_ENABLED = True
    last, before = years()
    officer = OfficerFactory(user=officer_user, agency=agency)
    url = reverse("reports:annual_report", args=[last.pk])
    verified_client.login(coordinator)
    _data(school=school, other_school=other_school, officer=officer, year=last, scale=2)
    _data(school=school, other_school=other_school, officer=officer, year=before, scale=2)
    verified_client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert verified_client.get(url).status_code == 200
    _data(school=school, other_school=other_school, officer=officer, year=last, scale=20)
    _data(school=school, other_school=other_school, officer=officer, year=before, scale=20)
    with CaptureQueriesContext(connection) as large:
        assert verified_client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


@pytest.mark.django_db
def test_a_build_whose_message_was_lost_is_queued_again_when_asked_for(
    coordinator, academic_year, monkeypatch
):
    from django.utils import timezone

    queued = []
    monkeypatch.setattr(services, "queue_on_commit", lambda name, *args: queued.append(args))
    report = annual_report(year=academic_year, school=None)
    build = ReportBuild.objects.create(academic_year=academic_year, fingerprint=report.fingerprint)
    services.report_pdf_request(year=academic_year, school=None, user=coordinator)
    assert queued == []  # just asked for: its message is on its way
    ReportBuild.objects.filter(pk=build.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.report_pdf_request(year=academic_year, school=None, user=coordinator)
    assert queued == [(build.pk,)]
