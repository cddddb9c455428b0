"""The demo agreements: the memorandum in force, signed by both parties over the text shown, covering
every section the district's agreement needs; the SRO statement in its second version."""

from io import StringIO

import pytest
from django.core.management import call_command

from agreements.demo import MOU_TITLE, SRO_TITLE
from agreements.models import Agreement, GoalFigure, SectionType, VersionStatus
from agreements.selectors.acknowledgements import acknowledgement_counts
from agreements.selectors.versions import signature_checks, version_with_sections

pytestmark = pytest.mark.django_db


def test_the_demo_memorandum_is_signed_complete_and_public(db):
    call_command("seed_demo", "--scale=0.05", stdout=StringIO())
    mou = Agreement.objects.get(title=MOU_TITLE)
    version = version_with_sections(version=mou.versions.get(status=VersionStatus.ACTIVE))
    assert mou.is_public and version.effective_at is not None and version.public_input
    assert [check.text_unchanged for check in signature_checks(version=version)] == [True, True]
    types = {section.section_type for section in version.sections.all()}
    assert types == set(SectionType) - {SectionType.OTHER}
    assert mou.bright_lines.count() >= 2 and mou.goals.count() >= 2
    # Each demo goal names the figure the annual report follows it by.
    assert dict(mou.goals.values_list("code", "figure")) == {
        "fewer-arrests": GoalFigure.ARRESTS,
        "everyone-knows-sro": GoalFigure.STUDENT_ROLE_SCORE,
        "matters-returned": GoalFigure.RETURNED,
    }

    sro = Agreement.objects.get(title=SRO_TITLE)
    assert list(sro.versions.order_by("number").values_list("status", flat=True)) == [
        VersionStatus.SUPERSEDED,
        VersionStatus.ACTIVE,
    ]
    counts = acknowledgement_counts(version=sro.versions.get(number=2))
    assert counts["done"] >= 1 and counts["pending"] >= 1
