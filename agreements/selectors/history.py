"""Every change to a version, its sections, signatures and acknowledgements, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from agreements.models import Acknowledgement, AgreementVersion, Section, Signature

PAGE_SIZE = 50
CHANGE_WORDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: object
    what: str
    change: str
    detail: str


def version_history(*, version: AgreementVersion, page=None) -> Page:
    """One page of the version's history (four queries, whatever the number of changes)."""
    entries: list[HistoryEntry] = []
    for record in version.history.select_related("history_user"):
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, f"Version {record.number}",
                CHANGE_WORDS[record.history_type], f"{record.title} · {record.get_status_display()}",
            )
        )  # fmt: skip
    for record in Section.history.filter(version_id=version.pk).select_related("history_user"):
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, f"Section {record.position}",
                CHANGE_WORDS[record.history_type], f"{record.heading} ({len(record.text.split())} words)",
            )
        )  # fmt: skip
    for record in Signature.history.filter(version_id=version.pk).select_related("history_user"):
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user,
                f"Signature for the {record.get_party_display().lower()}",
                CHANGE_WORDS[record.history_type], f"{record.typed_name}, {record.typed_title}",
            )
        )  # fmt: skip
    for record in Acknowledgement.history.filter(version_id=version.pk).select_related(
        "history_user", "user"
    ):
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, "Acknowledgement",
                CHANGE_WORDS[record.history_type], str(record.user),
            )
        )  # fmt: skip
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return Paginator(entries, PAGE_SIZE).get_page(page)
