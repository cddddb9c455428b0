"""Every change to a version, its sections, signatures and acknowledgements, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from agreements.models import (
    Acknowledgement,
    ActionItem,
    AgreementVersion,
    Comment,
    Meeting,
    Section,
    Signature,
)

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
    for record in Comment.history.filter(version_id=version.pk).select_related("history_user"):
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, f"Comment ({record.get_commenter_role_display()})",
                CHANGE_WORDS[record.history_type], "answered" if record.response else "not answered yet",
            )
        )  # fmt: skip
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return Paginator(entries, PAGE_SIZE).get_page(page)


def meeting_history(*, meeting: Meeting, page=None) -> Page:
    """One page of the changes to a meeting and its action items (two queries)."""
    entries = [
        HistoryEntry(
            record.history_date, record.history_user, "Meeting", CHANGE_WORDS[record.history_type],
            f"{record.title}, {record.held_on:%b %-d, %Y}",
        )
        for record in meeting.history.select_related("history_user")
    ]  # fmt: skip
    entries += [
        HistoryEntry(
            record.history_date, record.history_user, "Action item", CHANGE_WORDS[record.history_type],
            f"{record.description} · {record.owner} · due {record.due_on:%b %-d, %Y} · "
            f"{record.get_status_display()}",
        )
        for record in ActionItem.history.filter(meeting_id=meeting.pk).select_related("history_user", "owner")
    ]  # fmt: skip
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return Paginator(entries, PAGE_SIZE).get_page(page)
