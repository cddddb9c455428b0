"""The rules of the agreements services: versioning, publishing, signatures, acknowledgements and the
reminders, with bad input refused and nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import (
    Acknowledgement,
    AgreementKind,
    AgreementVersion,
    Section,
    SectionType,
    Signature,
    SignatureParty,
    VersionStatus,
)
from agreements.selectors.acknowledgements import acknowledgement_matrix, required_users, waiting_for
from agreements.selectors.versions import Change, signature_checks, version_diff, version_with_sections
from agreements.services.acknowledgements import (
    acknowledgement_record,
    acknowledgement_reminders_dispatch,
)
from agreements.services.agreements import agreement_create, agreement_update
from agreements.services.reviews import agreement_reviews_dispatch
from agreements.services.signatures import signature_sign
from agreements.services.versions import (
    agreement_version_draft,
    agreement_version_publish,
    section_add,
    section_delete,
    section_move,
    section_update,
)
from district.roles import Role
from officers.models import OfficerStatus
from outbox.models import OutboundEmail
from tests.agreements.factories import agreement_with_version, next_version
from tests.district.factories import PASSWORD, UserFactory
from tests.officers.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _reword(draft):
    section = draft.sections.get(position=2)
    section_update(
        section=section, heading=section.heading, section_type=section.section_type,
        text="You do not administer school discipline: such matters return to administrators.",
    )  # fmt: skip


# --- Versions and publishing ------------------------------------------------------------------


def test_a_new_draft_copies_the_active_version_and_publishing_supersedes_it(coordinator, sro_statement):
    agreement, v1 = sro_statement
    draft = agreement_version_draft(agreement=agreement, created_by=coordinator)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert [s.heading for s in draft.sections.all()] == [s.heading for s in v1.sections.all()]
    assert agreement_version_draft(agreement=agreement, created_by=coordinator) == draft, (
        "one draft at a time"
    )

    _reword(draft)
    agreement_version_publish(version=draft, published_by=coordinator)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED and v1.superseded_at is not None
    assert draft.status == VersionStatus.ACTIVE and draft.published_by == coordinator
    assert v1.sections.get(position=2).text == "You do not administer school discipline."


def test_a_published_version_never_changes(coordinator, sro_statement):
    _, v1 = sro_statement
    section = v1.sections.first()
    with pytest.raises(ValidationError, match="published"):
        section_update(section=section, heading="New", section_type=SectionType.OTHER, text="New text")
    with pytest.raises(ValidationError, match="published"):
        section_add(version=v1, heading="More", section_type=SectionType.OTHER, text="More")
    with pytest.raises(ValidationError, match="published"):
        section_delete(section=section)
    with pytest.raises(ValidationError, match="published"):
        agreement_version_publish(version=v1, published_by=coordinator)
    section.refresh_from_db()
    assert section.heading == "Your role"
    assert v1.sections.count() == 2


def test_publishing_an_empty_version_is_refused_and_nothing_changes(coordinator, sro_statement):
    agreement, v1 = sro_statement
    draft = agreement_version_draft(agreement=agreement, created_by=coordinator)
    for section in list(draft.sections.all()):
        section_delete(section=section)
    with pytest.raises(ValidationError, match="no sections"):
        agreement_version_publish(version=draft, published_by=coordinator)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (VersionStatus.ACTIVE, VersionStatus.DRAFT)


def test_sections_keep_their_order_when_moved_and_removed(coordinator):
    sections = [(SectionType.OTHER, name, name) for name in "ABC"]
    _, draft = agreement_with_version(by=coordinator, sections=sections, publish=False)
    a, b, c = draft.sections.order_by("position")
    section_move(section=c, up=True)
    assert list(draft.sections.order_by("position").values_list("heading", flat=True)) == ["A", "C", "B"]
    section_delete(section=a)
    assert list(draft.sections.order_by("position").values_list("heading", "position")) == [
        ("C", 1),
        ("B", 2),
    ]


def test_the_diff_marks_changed_added_and_removed_sections(coordinator, sro_statement):
    agreement, v1 = sro_statement

    def edit(draft):
        _reword(draft)
        section_delete(section=draft.sections.get(position=1))
        section_add(
            version=draft, heading="In a crisis", section_type=SectionType.CRISIS, text="Follow the plan."
        )

    v2 = next_version(agreement=agreement, by=coordinator, edit=edit)
    rows = {row.heading: row for row in version_diff(old=v1, new=v2)}
    assert rows["The bright line"].change == Change.CHANGED
    assert (
        "<ins>" in rows["The bright line"].new_html
        and "such matters return" in rows["The bright line"].new_html
    )
    assert "such matters" not in rows["The bright line"].old_html
    assert rows["In a crisis"].change == Change.ADDED
    assert rows["Your role"].change == Change.REMOVED and "<del>" in rows["Your role"].old_html


def test_the_diff_escapes_the_text(coordinator):
    sections = [(SectionType.OTHER, "X", "<script>alert(1)</script>")]
    agreement, v1 = agreement_with_version(by=coordinator, sections=sections)
    v2 = next_version(
        agreement=agreement, by=coordinator,
        edit=lambda d: section_update(
            section=d.sections.get(), heading="X", section_type=SectionType.OTHER, text="<b>hi</b>"
        ),
    )  # fmt: skip
    row = version_diff(old=v1, new=v2)[0]
    assert "<script>" not in row.old_html and "&lt;script&gt;" in row.old_html
    assert "<b>" not in row.new_html


# --- Agreements -------------------------------------------------------------------------------


def test_a_memorandum_names_its_agency_and_an_administrator_signs_for_the_district(
    coordinator, agency, supervisor
):
    with pytest.raises(ValidationError) as error:
        agreement_create(kind=AgreementKind.MOU, title="MOU", created_by=coordinator)
    assert "agency" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        agreement_create(
            kind=AgreementKind.MOU,
            title="MOU",
            created_by=coordinator,
            agency=agency,
            district_signatory=supervisor,
        )
    assert "district_signatory" in error.value.error_dict
    assert not AgreementVersion.objects.exists()


def test_only_a_memorandum_is_public(coordinator, sro_statement):
    with pytest.raises(ValidationError):
        agreement_update(agreement=sro_statement[0], is_public=True)


# --- Signatures -------------------------------------------------------------------------------


def _sign(version, user, password=PASSWORD, name="Pat Signer", title="Superintendent"):
    return signature_sign(version=version, signer=user, password=password, typed_name=name, typed_title=title)


def test_the_memorandum_takes_effect_when_both_parties_have_signed(mou, district_admin, supervisor):
    _, version = mou
    district = _sign(version, district_admin)
    version.refresh_from_db()
    assert district.party == SignatureParty.DISTRICT and version.effective_at is None
    agency = _sign(version, supervisor, title="Sergeant")
    version.refresh_from_db()
    assert agency.party == SignatureParty.AGENCY
    assert version.effective_at == agency.signed_at
    assert district.checksum == version.checksum() and len(district.checksum) == 64


def test_a_wrong_password_signs_nothing(mou, district_admin):
    _, version = mou
    with pytest.raises(ValidationError) as error:
        _sign(version, district_admin, password="not-my-password")
    assert "password" in error.value.error_dict
    assert not Signature.objects.exists()


def test_signing_twice_is_refused(mou, district_admin):
    _, version = mou
    _sign(version, district_admin)
    with pytest.raises(ValidationError, match="already signed"):
        _sign(version, district_admin)
    assert Signature.objects.count() == 1


def test_a_superseded_version_cannot_be_signed(coordinator, mou, district_admin):
    agreement, v1 = mou
    next_version(agreement=agreement, by=coordinator, edit=_reword)
    with pytest.raises(ValidationError, match="Only the active version"):
        _sign(v1, district_admin)
    assert not Signature.objects.exists()


def test_only_the_named_administrator_and_the_agencys_supervisors_sign(
    mou, school_admin, coordinator, officer_user
):
    _, version = mou
    other_supervisor = UserFactory(username="other_sergeant", roles=[Role.AGENCY_SUPERVISOR])
    for user in (school_admin, coordinator, officer_user, other_supervisor):
        with pytest.raises(PermissionDenied):
            _sign(version, user)
    assert not Signature.objects.exists()


def test_a_text_changed_after_signing_shows(mou, district_admin):
    _, version = mou
    _sign(version, district_admin)
    checks = signature_checks(version=version_with_sections(version=version))
    assert [check.text_unchanged for check in checks] == [True]
    # A change behind the application's back (the services refuse to edit a published version).
    Section.objects.filter(version=version, position=1).update(text="Something else")
    checks = signature_checks(version=version_with_sections(version=version))
    assert [check.text_unchanged for check in checks] == [False]


def test_the_checksum_covers_title_headings_types_and_order(coordinator, sro_statement):
    _, version = sro_statement
    sections = list(version.sections.all())
    before = version.checksum(sections)
    sections[0].section_type = SectionType.OTHER
    assert version.checksum(sections) != before
    sections[0].section_type, sections[0].position, sections[1].position = SectionType.ROLES, 2, 1
    assert version.checksum(sections) != before


# --- Acknowledgements -------------------------------------------------------------------------


def test_an_officer_acknowledges_and_a_new_version_asks_again(coordinator, officer, sro_statement):
    agreement, v1 = sro_statement
    assert [w.version for w in waiting_for(user=officer.user)] == [v1]
    acknowledgement_record(version=v1, user=officer.user)
    assert waiting_for(user=officer.user) == []

    v2 = next_version(agreement=agreement, by=coordinator, edit=_reword)
    assert [w.version for w in waiting_for(user=officer.user)] == [v2]
    row = acknowledgement_matrix(version=v2).get(pk=officer.user.pk)
    assert row.acknowledged_at is None and row.last_number == 1


def test_acknowledging_a_version_that_is_not_current_is_refused(coordinator, officer, sro_statement):
    agreement, v1 = sro_statement
    next_version(agreement=agreement, by=coordinator, edit=_reword)
    with pytest.raises(ValidationError, match="not the current version"):
        acknowledgement_record(version=AgreementVersion.objects.get(pk=v1.pk), user=officer.user)
    assert not Acknowledgement.objects.exists()


def test_acknowledging_twice_is_refused(officer, sro_statement):
    _, v1 = sro_statement
    acknowledgement_record(version=v1, user=officer.user)
    with pytest.raises(ValidationError, match="already acknowledged"):
        acknowledgement_record(version=v1, user=officer.user)
    assert Acknowledgement.objects.count() == 1


def test_only_those_asked_acknowledge(supervisor, school_admin, officer, sro_statement, admin_statement):
    with pytest.raises(ValidationError, match="not asked"):
        acknowledgement_record(version=sro_statement[1], user=school_admin)
    with pytest.raises(ValidationError, match="not asked"):
        acknowledgement_record(version=admin_statement[1], user=officer.user)
    acknowledgement_record(version=admin_statement[1], user=school_admin)


def test_who_must_acknowledge(officer, agency, school_admin, district_admin, supervisor):
    OfficerFactory(agency=agency, status=OfficerStatus.LEFT, user=UserFactory(username="retired"))
    OfficerFactory(agency=agency, user=None)
    assert set(required_users(kind=AgreementKind.SRO_STATEMENT)) == {officer.user}
    assert set(required_users(kind=AgreementKind.ADMINISTRATOR_STATEMENT)) == {school_admin, district_admin}
    assert not required_users(kind=AgreementKind.MOU).exists()


# --- Reminders --------------------------------------------------------------------------------


def _reminders():
    return OutboundEmail.objects.filter(key__startswith="agreements.ack-reminder:")


def test_reminders_go_once_a_week_each_and_stop_after_acknowledging(
    monkeypatch, officer, school_admin, sro_statement, admin_statement
):
    monday = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: monday)
    acknowledgement_reminders_dispatch()
    acknowledgement_reminders_dispatch()  # beat runs it again, the same week
    assert sorted(e.recipients[0] for e in _reminders()) == sorted([officer.user.email, school_admin.email])

    acknowledgement_record(version=sro_statement[1], user=officer.user)
    monkeypatch.setattr(timezone, "now", lambda: monday + datetime.timedelta(days=7))
    acknowledgement_reminders_dispatch()
    assert [e.recipients[0] for e in _reminders()].count(officer.user.email) == 1, (
        "stopped after acknowledging"
    )
    assert [e.recipients[0] for e in _reminders()].count(school_admin.email) == 2, "one more the next week"


def test_a_superseded_version_is_not_reminded(coordinator, officer, sro_statement):
    agreement, v1 = sro_statement
    next_version(agreement=agreement, by=coordinator, edit=_reword)
    acknowledgement_reminders_dispatch()
    assert {e.key.split(":")[1] for e in _reminders()} == {str(agreement.versions.get(number=2).pk)}


def test_the_review_is_announced_once_sixty_days_before(coordinator, mou):
    agreement, _ = mou
    today = datetime.date(2027, 3, 1)
    agreement_update(agreement=agreement, review_date=today + datetime.timedelta(days=61))
    assert agreement_reviews_dispatch(today=today) == 0
    agreement_update(agreement=agreement, review_date=today + datetime.timedelta(days=60))
    agreement_reviews_dispatch(today=today)
    agreement_reviews_dispatch(today=today + datetime.timedelta(days=1))
    emails = OutboundEmail.objects.filter(key__startswith="agreements.review:")
    assert [e.recipients for e in emails] == [[coordinator.email]]


def test_other_parts_of_the_program_read_the_active_bright_lines_and_goals(mou):
    from agreements.models import BrightLine, Goal
    from agreements.selectors.items import bright_lines_active, goals_active

    BrightLine.objects.create(agreement=mou[0], code="no-discipline", statement="No discipline")
    BrightLine.objects.create(agreement=mou[0], code="old", statement="Old", is_active=False)
    Goal.objects.create(
        agreement=mou[0], code="fewer-arrests", statement="Fewer arrests", measure="Arrests a year"
    )
    assert [line.code for line in bright_lines_active()] == ["no-discipline"]
    assert [goal.measure for goal in goals_active()] == ["Arrests a year"]
