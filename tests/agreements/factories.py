"""Helpers that build agreements through the services, as the application does."""

from __future__ import annotations

from agreements.models import Agreement, AgreementKind, AgreementVersion, SectionType
from agreements.services.agreements import agreement_create
from agreements.services.versions import agreement_version_draft, agreement_version_publish, section_add

SECTIONS = [
    (SectionType.ROLES, "Your role", "You are a trusted adult in the school."),
    (SectionType.DISCIPLINE, "The bright line", "You do not administer school discipline."),
]


def agreement_with_version(
    *,
    by,
    kind: str = AgreementKind.SRO_STATEMENT,
    title: str = "SRO role and expectations",
    sections=SECTIONS,
    publish: bool = True,
    **fields,
) -> tuple[Agreement, AgreementVersion]:
    """An agreement whose first version has ``sections``, published unless ``publish`` is False."""
    agreement = agreement_create(kind=kind, title=title, created_by=by, **fields)
    version = agreement.versions.get()
    for section_type, heading, text in sections:
        section_add(version=version, heading=heading, section_type=section_type, text=text)
    if publish:
        version = agreement_version_publish(version=version, published_by=by)
    return agreement, version


def next_version(*, agreement: Agreement, by, edit=None, publish: bool = True) -> AgreementVersion:
    """A new version of ``agreement``: a draft copying the latest, changed by ``edit(draft)``, published."""
    draft = agreement_version_draft(agreement=agreement, created_by=by)
    if edit is not None:
        edit(draft)
    if publish:
        draft = agreement_version_publish(version=draft, published_by=by)
    return draft
