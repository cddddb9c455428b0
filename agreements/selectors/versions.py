"""Reading versions: the active one, their sections, and what changed between two of them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agreements.models import Agreement, AgreementVersion, Section, Signature, VersionStatus


def version_active(*, agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.filter(status=VersionStatus.ACTIVE).first()


def version_draft(*, agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.filter(status=VersionStatus.DRAFT).first()


def versions_of(*, agreement: Agreement, include_drafts: bool) -> QuerySet[AgreementVersion]:
    versions = agreement.versions.select_related("published_by")
    return versions if include_drafts else versions.exclude(status=VersionStatus.DRAFT)


def version_with_sections(*, version: AgreementVersion) -> AgreementVersion:
    """The version with its sections and signatures loaded (two queries), for showing it whole."""
    return (
        AgreementVersion.objects.select_related("agreement__agency", "agreement__district_signatory")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position")),
            Prefetch("signatures", queryset=Signature.objects.select_related("signer")),
            "comments",
        )
        .get(pk=version.pk)
    )


@dataclass(frozen=True)
class SignatureCheck:
    signature: Signature
    text_unchanged: bool


def signature_checks(*, version: AgreementVersion) -> list[SignatureCheck]:
    """Each signature of the (prefetched) version, and whether the text is still the one signed: the
    checksum is recomputed now, so a later change to the text shows."""
    current = version.checksum(list(version.sections.all()))
    return [SignatureCheck(s, s.checksum == current) for s in version.signatures.all()]


# --- The side-by-side diff --------------------------------------------------------------------


class Change:
    ADDED = "Added"
    REMOVED = "Removed"
    CHANGED = "Changed"
    UNCHANGED = "Unchanged"


@dataclass(frozen=True)
class SectionDiff:
    heading: str
    change: str
    old_heading: str
    old_html: SafeString
    new_html: SafeString

    @property
    def changed(self) -> bool:
        return self.change != Change.UNCHANGED


TOKEN = re.compile(r"\s+|[^\s]+")


def _marked(kind: str, words: str) -> str:
    # The tag says it to assistive technology that reads it; the hidden words say it to the rest.
    label = "removed" if kind == "del" else "added"
    return (
        f'<{kind}><span class="visually-hidden">[{label}: </span>{escape(words)}'
        f'<span class="visually-hidden">]</span></{kind}>'
    )


def text_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Word by word: the old text with its removed words in <del>, the new with added words in <ins>."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(escape(old_part))
            right.append(escape(new_part))
            continue
        if old_part:
            left.append(_marked("del", old_part))
        if new_part:
            right.append(_marked("ins", new_part))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (every part escaped above)


def _match(
    old_sections: list[Section], new_sections: list[Section]
) -> list[tuple[Section | None, Section | None]]:
    """Pair each new section with the old one of the same heading, else of the same type; the old
    sections left over were removed."""
    unused = list(old_sections)
    pairs: list[tuple[Section | None, Section | None]] = []
    for new in new_sections:
        old = next((s for s in unused if s.heading == new.heading), None) or next(
            (s for s in unused if s.section_type == new.section_type), None
        )
        if old is not None:
            unused.remove(old)
        pairs.append((old, new))
    pairs += [(old, None) for old in unused]
    return pairs


def version_diff(*, old: AgreementVersion | None, new: AgreementVersion) -> list[SectionDiff]:
    """Section by section, what changed from ``old`` to ``new`` (everything is added when there is
    no old version)."""
    old_sections = list(old.sections.order_by("position")) if old is not None else []
    new_sections = list(new.sections.order_by("position"))
    rows = []
    for before, after in _match(old_sections, new_sections):
        if after is None:
            left, _ = text_diff(before.text, "")
            rows.append(SectionDiff(before.heading, Change.REMOVED, before.heading, left, mark_safe("")))
        elif before is None:
            _, right = text_diff("", after.text)
            rows.append(SectionDiff(after.heading, Change.ADDED, "", mark_safe(""), right))
        else:
            left, right = text_diff(before.text, after.text)
            same = before.text == after.text and before.heading == after.heading
            rows.append(
                SectionDiff(
                    after.heading, Change.UNCHANGED if same else Change.CHANGED, before.heading, left, right
                )
            )
    if old is not None and old.title != new.title:
        left, right = text_diff(old.title, new.title)
        rows.insert(0, SectionDiff("Title", Change.CHANGED, "Title", left, right))
    return rows


def active_versions_of(*, agreements: list[Agreement]) -> dict[int, AgreementVersion]:
    """The active version of each agreement, by agreement id (one query)."""
    versions = AgreementVersion.objects.filter(agreement__in=agreements, status=VersionStatus.ACTIVE)
    return {version.agreement_id: version for version in versions}
