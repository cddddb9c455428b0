"""Editing drafts and publishing them. A published version never changes: editing one starts a new
draft that copies its sections, and publishing the draft supersedes it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Section, VersionStatus
from sro_program.celery import queue_on_commit


def _locked(version: AgreementVersion) -> AgreementVersion:
    """The version re-read under a row lock, so two edits or a publish and an edit take turns."""
    return AgreementVersion.objects.select_for_update().get(pk=version.pk)


def _draft_only(version: AgreementVersion) -> AgreementVersion:
    version = _locked(version)
    if not version.is_draft:
        raise ValidationError("This version is published and cannot change; edit a new draft instead.")
    return version


@transaction.atomic
def agreement_version_draft(*, agreement: Agreement, created_by) -> AgreementVersion:
    """The agreement's draft: the one being edited, or a new one copying the latest version."""
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    draft = agreement.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    latest = agreement.versions.order_by("-number").first()
    draft = AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        title=latest.title if latest else agreement.title,
        public_input=latest.public_input if latest else "",
        created_by=created_by,
    )
    if latest is not None:
        Section.objects.bulk_create(
            Section(
                version=draft,
                position=s.position,
                heading=s.heading,
                section_type=s.section_type,
                text=s.text,
            )
            for s in latest.sections.all()
        )
    return draft


@transaction.atomic
def agreement_version_update(
    *, version: AgreementVersion, title: str, summary: str, public_input: str
) -> AgreementVersion:
    """Change a draft's title, its summary of changes and its record of public input."""
    version = _draft_only(version)
    version.title, version.summary, version.public_input = title, summary, public_input
    version.save(update_fields=["title", "summary", "public_input"])
    return version


@transaction.atomic
def section_add(*, version: AgreementVersion, heading: str, section_type: str, text: str) -> Section:
    """Add a section at the end of a draft."""
    version = _draft_only(version)
    last = version.sections.aggregate(last=Max("position"))["last"] or 0
    return Section.objects.create(
        version=version, position=last + 1, heading=heading, section_type=section_type, text=text
    )


@transaction.atomic
def section_update(*, section: Section, heading: str, section_type: str, text: str) -> Section:
    """Change a draft's section."""
    _draft_only(section.version)
    section.heading, section.section_type, section.text = heading, section_type, text
    section.save(update_fields=["heading", "section_type", "text"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> AgreementVersion:
    """Remove a section from a draft and close the gap in the order."""
    version = _draft_only(section.version)
    position = section.position
    section.delete()
    for later in version.sections.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])  # one by one, so the history keeps each move
    return version


@transaction.atomic
def section_move(*, section: Section, up: bool) -> Section:
    """Swap a draft's section with the one before (``up``) or after it."""
    version = _draft_only(section.version)
    neighbour = (
        version.sections.filter(position__lt=section.position).order_by("-position").first()
        if up
        else version.sections.filter(position__gt=section.position).order_by("position").first()
    )
    if neighbour is None:
        return section
    # The unique (version, position) constraint is deferred to the commit, so the swap may pass
    # through a moment with two sections in one place.
    section.position, neighbour.position = neighbour.position, section.position
    section.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    return section


@transaction.atomic
def agreement_version_publish(*, version: AgreementVersion, published_by) -> AgreementVersion:
    """Make the draft the active version; the version it replaces becomes superseded, and everyone
    who must acknowledge it is asked (after the commit)."""
    version = _draft_only(version)
    errors = []
    if not version.sections.exists():
        errors.append("A version with no sections cannot be published: add its text first.")
    if version.sections.filter(text="").exists():
        errors.append("Every section needs its text before the version is published.")
    if version.comment_closes_on is not None and version.comment_closes_on >= timezone.localdate():
        errors.append(
            f"The public comment period runs until {version.comment_closes_on:%B %-d, %Y}: "
            "publish after it closes."
        )
    if version.comments.filter(response="").exists():
        errors.append("Respond to every public comment before publishing.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    previous = AgreementVersion.objects.select_for_update().filter(
        agreement_id=version.agreement_id, status=VersionStatus.ACTIVE
    )
    for old in previous:
        old.status, old.superseded_at = VersionStatus.SUPERSEDED, now
        old.save(update_fields=["status", "superseded_at"])
    version.status, version.published_at, version.published_by = VersionStatus.ACTIVE, now, published_by
    version.save(update_fields=["status", "published_at", "published_by"])
    queue_on_commit("agreements.tasks.acknowledgement_reminders_send", version.pk)
    return version
