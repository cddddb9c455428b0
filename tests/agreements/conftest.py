"""Fixtures for the agreements tests: the three kinds of agreement, each with an active version."""

import pytest

from agreements.models import AgreementKind
from tests.agreements.factories import agreement_with_version


@pytest.fixture
def sro_statement(coordinator):
    """The SRO statement and its active version 1."""
    return agreement_with_version(by=coordinator)


@pytest.fixture
def admin_statement(coordinator):
    return agreement_with_version(
        by=coordinator,
        kind=AgreementKind.ADMINISTRATOR_STATEMENT,
        title="Administrator role and expectations",
    )


@pytest.fixture
def mou(coordinator, agency, district_admin):
    """The memorandum with ``agency``, signed for the district by ``district_admin``; version 1 active."""
    return agreement_with_version(
        by=coordinator, kind=AgreementKind.MOU, title="Memorandum of understanding", agency=agency,
        district_signatory=district_admin,
    )  # fmt: skip
