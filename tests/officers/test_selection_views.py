"""Selection pages: who may do what, the flows through the forms, and pinned query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district.roles import Role
from officers.models import (
    Candidate,
    CandidateStatus,
    CycleStatus,
    FitCriterion,
    Officer,
    OfficerStatus,
    Score,
    Scorecard,
    SelectionCycle,
)
from officers.services.selection import candidate_nominate, panel_set
from tests.access import access_table, status_for
from tests.district.factories import UserFactory
from tests.officers.factories import PDF_BYTES, CandidateFactory, open_cycle, submit_all

pytestmark = pytest.mark.django_db


def panelist_of(cycle, user):
    return cycle.panelists.get(user=user)


PEOPLE = [
    "anonymous",
    "outsider",
    "officer_user",
    "school_admin",
    "panel_admin",
    "other_supervisor",
    "supervisor",
    "coordinator",
]
ACCESS = {
    "cycle_list": [302, 403, 403, 403, 200, 200, 200, 200],
    "cycle_detail": [302, 404, 404, 404, 200, 404, 200, 200],
    "cycle_open": [302, 403, 403, 403, 403, 403, 403, 200],
    "candidate_nominate": [302, 403, 403, 403, 403, 404, 200, 200],
    "candidate_detail": [302, 404, 404, 404, 200, 404, 200, 200],
    "scorecard_edit": [302, 404, 404, 404, 200, 404, 404, 200],
    "panel_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "criterion_edit": [302, 403, 403, 403, 403, 403, 403, 200],
    "cycle_results": [302, 404, 404, 404, 200, 404, 403, 200],
    "cycle_decide": [302, 403, 403, 403, 403, 403, 403, 200],
}


def _url(name, cycle, candidate):
    if name in ("cycle_list", "cycle_open"):
        return reverse(f"officers:{name}")
    if name in ("candidate_detail", "scorecard_edit"):
        return reverse(f"officers:{name}", args=[cycle.pk, candidate.pk])
    if name == "criterion_edit":
        return reverse("officers:criterion_edit", args=[cycle.pk, cycle.criteria.first().pk])
    return reverse(f"officers:{name}", args=[cycle.pk])


@pytest.mark.parametrize(("page", "person", "expected"), access_table(ACCESS, PEOPLE))
def test_role_access_table(
    request, client, verified_client, officer, school_admin, cycle, candidate, page, person, expected
):
    url = _url(page, cycle, candidate)
    assert status_for(request, client, verified_client, person, url) == expected


@pytest.mark.parametrize("person", ["outsider", "school_admin", "supervisor", "other_supervisor"])
def test_no_one_but_a_panelist_may_post_a_scorecard(request, verified_client, cycle, candidate, person):
    verified_client.login(request.getfixturevalue(person))
    url = reverse("officers:scorecard_edit", args=[cycle.pk, candidate.pk])
    values = {f"score_{c.pk}": 5 for c in cycle.criteria.all()}
    assert verified_client.post(url, {**values, "submit": "1"}).status_code == 404
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize("person", ["panel_admin", "supervisor", "officer_user"])
def test_only_the_coordinator_posts_coordinator_actions(
    request, verified_client, officer, cycle, candidate, person
):
    verified_client.login(request.getfixturevalue(person))
    criterion = cycle.criteria.first()
    posts = [
        (reverse("officers:criterion_add", args=[cycle.pk]), {"name": "X"}),
        (reverse("officers:criterion_remove", args=[cycle.pk, criterion.pk]), {}),
        (reverse("officers:criterion_move", args=[cycle.pk, criterion.pk]), {"direction": "down"}),
        (reverse("officers:panel_edit", args=[cycle.pk]), {"district_members": [person]}),
        (
            reverse("officers:cycle_decide", args=[cycle.pk]),
            {"chosen": candidate.pk, "rationale": "x", "program_start_date": "2026-09-01"},
        ),
    ]
    for url, data in posts:
        assert verified_client.post(url, data).status_code in (403, 404), url
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN and cycle.criteria.count() == 6


# --- Flows -----------------------------------------------------------------------------------


def test_coordinator_opens_a_cycle(verified_client, coordinator, agency, academic_year, school, other_school):
    verified_client.login(coordinator)
    response = verified_client.post(
        reverse("officers:cycle_open"),
        {
            "title": "Middle and high",
            "agency": agency.pk,
            "academic_year": academic_year.pk,
            "schools": [school.pk, other_school.pk],
        },
    )
    cycle = SelectionCycle.objects.get(title="Middle and high")
    assert response["Location"] == reverse("officers:cycle_detail", args=[cycle.pk])
    assert cycle.criteria.count() == 6 and set(cycle.schools.all()) == {school, other_school}
    response = verified_client.post(
        reverse("officers:cycle_open"), {"title": "No schools", "agency": agency.pk}
    )
    assert response.status_code == 200 and "schools" in response.context["form"].errors


def test_coordinator_edits_criteria_until_scoring_starts(verified_client, coordinator, cycle, candidate):
    verified_client.login(coordinator)
    detail = reverse("officers:cycle_detail", args=[cycle.pk])
    verified_client.post(
        reverse("officers:criterion_add", args=[cycle.pk]), {"name": "Trauma-informed practice"}
    )
    last = cycle.criteria.last()
    assert last.name == "Trauma-informed practice"
    verified_client.post(reverse("officers:criterion_move", args=[cycle.pk, last.pk]), {"direction": "up"})
    assert list(cycle.criteria.all())[-2] == last
    verified_client.post(
        reverse("officers:criterion_edit", args=[cycle.pk, last.pk]),
        {"name": "Trauma-informed", "description": ""},
    )
    last.refresh_from_db()
    assert last.name == "Trauma-informed"
    verified_client.post(reverse("officers:criterion_remove", args=[cycle.pk, last.pk]))
    assert cycle.criteria.count() == 6
    assert "Add a criterion" in verified_client.get(detail).content.decode()

    first = cycle.criteria.first()
    verified_client.post(
        reverse("officers:scorecard_edit", args=[cycle.pk, candidate.pk]),
        {f"score_{first.pk}": 3, "save": "1"},
    )
    response = verified_client.post(
        reverse("officers:criterion_add", args=[cycle.pk]), {"name": "Too late"}, follow=True
    )
    assert "criteria can no longer change" in response.content.decode()
    assert not cycle.criteria.filter(name="Too late").exists()
    assert "Add a criterion" not in verified_client.get(detail).content.decode()


def test_supervisor_nominates_with_a_pdf_resume(verified_client, supervisor, cycle):
    verified_client.login(supervisor)
    url = reverse("officers:candidate_nominate", args=[cycle.pk])
    assert not verified_client.get(url).context["form"].is_bound, "an empty form, with no errors"
    data = {
        "given_name": "Jo",
        "family_name": "Park",
        "badge_number": "B12",
        "years_of_service": 6,
        "youth_experience": "DARE instructor.",
    }
    fake = SimpleUploadedFile("resume.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = verified_client.post(url, {**data, "resume": fake})
    assert response.status_code == 200 and "resume" in response.context["form"].errors
    assert not Candidate.objects.exists()
    response = verified_client.post(
        url, {**data, "resume": SimpleUploadedFile("r.pdf", PDF_BYTES, "application/pdf")}
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(badge_number="B12")
    assert candidate.nominated_by == supervisor and candidate.resume
    response = verified_client.post(url, data)
    assert response.status_code == 200 and "badge_number" in response.context["form"].errors
    download = verified_client.get(reverse("officers:candidate_resume", args=[cycle.pk, candidate.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_coordinator_names_the_panel(verified_client, coordinator, cycle, panel_admin, supervisor, agency):
    verified_client.login(coordinator)
    url = reverse("officers:panel_edit", args=[cycle.pk])
    form = verified_client.get(url).context["form"]
    assert supervisor in form.fields["agency_members"].queryset
    assert coordinator in form.fields["district_members"].queryset
    response = verified_client.post(
        url, {"district_members": [coordinator.pk], "agency_members": [supervisor.pk]}
    )
    assert response.status_code == 302
    assert {(p.user, p.affiliation) for p in cycle.panelists.all()} == {
        (coordinator, "district"),
        (supervisor, "agency"),
    }
    # Someone who is both (a coordinator who also supervises the agency) sits once.
    agency.supervisors.add(coordinator)
    both = {"district_members": [coordinator.pk], "agency_members": [coordinator.pk]}
    response = verified_client.post(url, both)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = verified_client.post(url, {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_a_panelist_scores_saves_a_draft_and_submits(verified_client, panel_admin, cycle, candidate):
    verified_client.login(panel_admin)
    url = reverse("officers:scorecard_edit", args=[cycle.pk, candidate.pk])
    criteria = list(cycle.criteria.all())
    # A score out of range is a form error; nothing is saved.
    response = verified_client.post(url, {f"score_{criteria[0].pk}": 7, "save": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{criteria[0].pk}"] == ["Give a score from 1 to 5."]
    assert not Scorecard.objects.exists()
    # A draft may be partial.
    response = verified_client.post(
        url, {f"score_{criteria[0].pk}": 4, f"note_{criteria[0].pk}": "Warm", "save": "1"}
    )
    assert response.status_code == 302
    assert Score.objects.get().value == 4
    # Submitting needs every criterion.
    response = verified_client.post(url, {f"score_{criteria[0].pk}": 4, "submit": "1"})
    assert response.status_code == 200
    assert len(response.context["form"].errors) == len(criteria) - 1
    assert Scorecard.objects.get().submitted_at is None
    values = {f"score_{c.pk}": 1 + i % 5 for i, c in enumerate(criteria)}
    response = verified_client.post(url, {**values, "note": "Good interview", "submit": "1"})
    assert response["Location"] == reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])
    card = Scorecard.objects.get()
    assert card.submitted_at and card.note == "Good interview" and card.scores.count() == len(criteria)
    # Submitted: the page is read-only and a further post changes nothing.
    assert verified_client.get(url).context["read_only"]
    verified_client.post(url, {**dict.fromkeys(values, 5), "submit": "1"})
    assert sorted(card.scores.values_list("value", flat=True)) == sorted(values.values())


def test_scores_stay_hidden_from_a_panelist_until_they_submit(
    verified_client, coordinator, panel_admin, cycle, candidate
):
    submit_all(panelist=panelist_of(cycle, coordinator), candidate=candidate, values=5)
    verified_client.login(panel_admin)
    detail = reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])
    results = reverse("officers:cycle_results", args=[cycle.pk])
    page = verified_client.get(detail)
    assert not page.context["may_see_scores"] and list(page.context["scorecards"]) == []
    assert "once you submit your own scorecard" in page.content.decode()
    assert verified_client.get(results).context["results"] == []

    submit_all(panelist=panelist_of(cycle, panel_admin), candidate=candidate, values=3)
    page = verified_client.get(detail)
    assert page.context["may_see_scores"] and len(page.context["scorecards"]) == 2
    (result,) = verified_client.get(results).context["results"]
    assert result.overall.mean == 4 and result.scorecards_submitted == 2


def test_a_coordinator_on_the_panel_scores_blind_like_everyone_else(
    verified_client, coordinator, panel_admin, cycle, candidate
):
    """The ``cycle`` fixture seats the coordinator: their permissions do not lift the seat's blindness."""
    submit_all(panelist=panelist_of(cycle, panel_admin), candidate=candidate, values=2)
    verified_client.login(coordinator)
    detail = reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])
    pages = [reverse(f"officers:{name}", args=[cycle.pk]) for name in ("cycle_results", "cycle_decide")]
    page = verified_client.get(detail)
    assert not page.context["may_see_scores"] and list(page.context["scorecards"]) == []
    assert "once you submit your own scorecard" in page.content.decode()
    for url in pages:
        assert verified_client.get(url).context["results"] == [], url
    cycle_page = verified_client.get(reverse("officers:cycle_detail", args=[cycle.pk]))
    assert not cycle_page.context["can_see_results"]
    assert reverse("officers:cycle_results", args=[cycle.pk]) not in cycle_page.content.decode()

    submit_all(panelist=panelist_of(cycle, coordinator), candidate=candidate, values=4)
    page = verified_client.get(detail)
    assert page.context["may_see_scores"] and len(page.context["scorecards"]) == 2
    for url in pages:
        (result,) = verified_client.get(url).context["results"]
        assert result.overall.mean == 3 and result.scorecards_submitted == 2, url
    assert verified_client.get(reverse("officers:cycle_detail", args=[cycle.pk])).context["can_see_results"]


def test_the_coordinator_off_the_panel_sees_the_aggregate_at_any_time(
    verified_client, coordinator, panel_admin, cycle, candidate
):
    panel_set(cycle=cycle, members={panel_admin: "district"})
    submit_all(panelist=panelist_of(cycle, panel_admin), candidate=candidate, values=2)
    verified_client.login(coordinator)
    (result,) = verified_client.get(reverse("officers:cycle_results", args=[cycle.pk])).context["results"]
    assert result.overall.mean == 2 and result.rank == 1
    page = verified_client.get(reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk]))
    assert page.context["may_see_scores"] and len(page.context["scorecards"]) == 1


def test_coordinator_records_the_decision_and_the_cycle_becomes_read_only(
    verified_client, coordinator, supervisor, cycle, candidate, agency
):
    other = CandidateFactory(cycle=cycle, nominated_by=supervisor, badge_number="B88")
    verified_client.login(coordinator)
    url = reverse("officers:cycle_decide", args=[cycle.pk])
    data = {"chosen": candidate.pk, "program_start_date": "2026-09-01", "rationale": ""}
    response = verified_client.post(url, data)
    assert response.status_code == 200 and "rationale" in response.context["form"].errors
    assert not Officer.objects.exists()

    response = verified_client.post(url, {**data, "rationale": "Best fit on every criterion."})
    assert response["Location"] == reverse("officers:cycle_detail", args=[cycle.pk])
    officer = Officer.objects.get(agency=agency, badge_number="B77")
    assert officer.status == OfficerStatus.ACTIVE and officer.program_start_date == datetime.date(2026, 9, 1)
    other.refresh_from_db()
    assert other.status == CandidateStatus.NOT_SELECTED

    assert verified_client.get(url).status_code == 403
    assert verified_client.get(reverse("officers:panel_edit", args=[cycle.pk])).status_code == 403
    assert verified_client.get(reverse("officers:candidate_nominate", args=[cycle.pk])).status_code == 403
    scorecard = verified_client.get(reverse("officers:scorecard_edit", args=[cycle.pk, other.pk]))
    assert scorecard.context["read_only"]
    detail = verified_client.get(reverse("officers:cycle_detail", args=[cycle.pk])).content.decode()
    assert "Best fit on every criterion." in detail and "Record the decision" not in detail
    listed = verified_client.get(reverse("officers:officer_list"), {"status": "active"}).context["page"]
    assert officer in list(listed)


# --- Query counts ----------------------------------------------------------------------------


def _grow(cycle, coordinator, *, candidates, panelists):
    members = {UserFactory(roles=[Role.ADMINISTRATOR]): "district" for _ in range(panelists)}
    members[coordinator] = "district"
    seats = panel_set(
        cycle=cycle, members={**{p.user: p.affiliation for p in cycle.panelists.all()}, **members}
    )
    for index in range(candidates):
        candidate = CandidateFactory(cycle=cycle, nominated_by=coordinator)
        for number, seat in enumerate(seats):
            submit_all(panelist=seat, candidate=candidate, values=1 + (index + number) % 5)


@pytest.mark.parametrize("page", ["cycle_results", "cycle_detail", "cycle_decide"])
def test_selection_pages_take_the_same_queries_with_ten_times_the_data(
    verified_client, coordinator, agency, academic_year, school, page
):
    verified_client.login(coordinator)
    counts = []
    for candidates, panelists in ((2, 1), (20, 10)):
        cycle = open_cycle(
            opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school]
        )
        _grow(cycle, coordinator, candidates=candidates, panelists=panelists)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse(f"officers:{page}", args=[cycle.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print(f"{page} queries:", counts)


def test_a_panelists_results_page_takes_the_same_queries_too(
    verified_client, coordinator, agency, academic_year, school
):
    counts = []
    for candidates, panelists in ((2, 1), (20, 10)):
        cycle = open_cycle(
            opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school]
        )
        _grow(cycle, coordinator, candidates=candidates, panelists=panelists)
        verified_client.login(cycle.panelists.exclude(user=coordinator).first().user)
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("officers:cycle_results", args=[cycle.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- Résumé, withdrawal and cancellation -----------------------------------------------------

RESUME_ACCESS = {"candidate_resume": [302, 404, 404, 404, 200, 404, 200, 200]}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(RESUME_ACCESS, PEOPLE))
def test_resume_download_access(
    request, client, verified_client, officer, school_admin, cycle, page, person, expected
):
    candidate = candidate_nominate(
        cycle=cycle, nominated_by=request.getfixturevalue("supervisor"), given_name="Jo", family_name="Park",
        badge_number="B12", years_of_service=6, youth_experience="DARE instructor.",
        resume=SimpleUploadedFile("r.pdf", PDF_BYTES, "application/pdf"),
    )  # fmt: skip
    url = reverse(f"officers:{page}", args=[cycle.pk, candidate.pk])
    assert status_for(request, client, verified_client, person, url) == expected


# Expected status of a POST per person; only a success changes anything.
POST_ACCESS = {
    "candidate_withdraw": [302, 403, 403, 403, 403, 404, 302, 302],
    "cycle_cancel": [302, 403, 403, 403, 403, 403, 403, 302],
}


@pytest.mark.parametrize(("page", "person", "expected"), access_table(POST_ACCESS, PEOPLE))
def test_withdraw_and_cancel_access(
    request, client, verified_client, officer, school_admin, cycle, candidate, page, person, expected
):
    args = [cycle.pk, candidate.pk] if page == "candidate_withdraw" else [cycle.pk]
    url = reverse(f"officers:{page}", args=args)
    data = {"reason": "No opening."}
    assert status_for(request, client, verified_client, person, url, method="post", data=data) == expected
    candidate.refresh_from_db()
    cycle.refresh_from_db()
    done = expected == 302 and person != "anonymous"
    assert (candidate.status == CandidateStatus.WITHDRAWN) is (done and page == "candidate_withdraw")
    assert (cycle.status == CycleStatus.CANCELLED) is (done and page == "cycle_cancel")


def test_withdraw_and_cancel_are_post_only(verified_client, coordinator, cycle, candidate):
    verified_client.login(coordinator)
    assert verified_client.get(reverse("officers:cycle_cancel", args=[cycle.pk])).status_code == 405
    withdraw = reverse("officers:candidate_withdraw", args=[cycle.pk, candidate.pk])
    assert verified_client.get(withdraw).status_code == 405
    candidate.refresh_from_db()
    cycle.refresh_from_db()
    assert candidate.status == CandidateStatus.NOMINATED and cycle.status == CycleStatus.OPEN


def test_the_agency_withdraws_a_nominee(verified_client, supervisor, panel_admin, cycle, candidate):
    detail = reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])
    verified_client.login(panel_admin)
    assert verified_client.get(detail).context["can_withdraw"] is False
    verified_client.login(supervisor)
    assert verified_client.get(detail).context["can_withdraw"] is True

    url = reverse("officers:candidate_withdraw", args=[cycle.pk, candidate.pk])
    response = verified_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "was withdrawn" in response.content.decode()
    assert response.context["can_withdraw"] is False
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.WITHDRAWN

    again = verified_client.post(url, follow=True)
    assert "only a nominated candidate can be withdrawn" in again.content.decode()


def test_the_coordinator_cancels_a_selection_with_a_reason(verified_client, coordinator, cycle, candidate):
    verified_client.login(coordinator)
    detail = reverse("officers:cycle_detail", args=[cycle.pk])
    assert verified_client.get(detail).context["can_cancel"] is True
    url = reverse("officers:cycle_cancel", args=[cycle.pk])

    response = verified_client.post(url, {"reason": "  "}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "the reason is required" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN

    response = verified_client.post(url, {"reason": "The school closed the opening."}, follow=True)
    assert "was cancelled" in response.content.decode()
    assert response.context["can_cancel"] is False
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CANCELLED
    assert cycle.decision_rationale == "The school closed the opening."
    # Read-only from now on, like a decided cycle.
    assert verified_client.post(url, {"reason": "Again."}).status_code == 403
    assert verified_client.get(reverse("officers:cycle_decide", args=[cycle.pk])).status_code == 403
    withdraw = reverse("officers:candidate_withdraw", args=[cycle.pk, candidate.pk])
    assert verified_client.post(withdraw).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOMINATED


def test_cycle_list_takes_the_same_queries_with_ten_times_the_cycles(
    verified_client, coordinator, agency, academic_year, school
):
    verified_client.login(coordinator)
    counts = []
    for how_many in (3, 30):
        for _ in range(how_many):
            open_cycle(opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school])
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("officers:cycle_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_candidate_detail_takes_the_same_queries_with_ten_times_the_scorecards(
    verified_client, coordinator, agency, academic_year, school
):
    verified_client.login(coordinator)
    counts = []
    for candidates, panelists in ((1, 1), (1, 10)):
        cycle = open_cycle(
            opened_by=coordinator, agency=agency, academic_year=academic_year, schools=[school]
        )
        _grow(cycle, coordinator, candidates=candidates, panelists=panelists)
        candidate = cycle.candidates.get()
        url = reverse("officers:candidate_detail", args=[cycle.pk, candidate.pk])
        with CaptureQueriesContext(connection) as queries:
            response = verified_client.get(url)
        assert response.status_code == 200 and len(response.context["scorecards"]) == panelists + 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_criterion_description_is_shown_as_text_in_the_scorecard(
    verified_client, coordinator, panel_admin, cycle, candidate
):
    criterion = cycle.criteria.first()
    FitCriterion.objects.filter(pk=criterion.pk).update(
        description='Listens first <script>alert("x")</script><b>really</b>'
    )
    verified_client.login(panel_admin)
    page = verified_client.get(reverse("officers:scorecard_edit", args=[cycle.pk, candidate.pk]))
    html = page.content.decode()
    assert "<script>alert" not in html and "<b>really</b>" not in html
    assert "Listens first &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;really&lt;/b&gt;" in html
