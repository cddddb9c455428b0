"""Factories and helpers for selection by fit. Cycles are opened through the service, so each
starts with the district's default criteria, as in the application."""

import factory

from officers.models import Candidate, PanelAffiliation, Panelist, SelectionCycle
from officers.services.selection import cycle_open, scorecard_submit
from tests.factories import AcademicYearFactory, AgencyFactory, SchoolFactory, UserFactory

# The smallest file that passes the résumé check: a PDF header and an end-of-file marker.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def open_cycle(*, opened_by, agency=None, academic_year=None, schools=None, title="SRO for the high school"):
    return cycle_open(
        title=title,
        agency=agency or AgencyFactory(),
        academic_year=academic_year or AcademicYearFactory(),
        schools=schools or [SchoolFactory()],
        opened_by=opened_by,
    )


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    cycle = factory.Iterator(SelectionCycle.objects.all())
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    badge_number = factory.Sequence(lambda n: f"C{5000 + n}")
    rank = "Deputy"
    years_of_service = 8
    youth_experience = "Coached youth hockey for six years."
    nominated_by = factory.SubFactory(UserFactory)


class PanelistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panelist

    user = factory.SubFactory(UserFactory)
    affiliation = PanelAffiliation.DISTRICT


def submit_all(*, panelist, candidate, values):
    """Submit a scorecard with ``values`` (one per criterion, in order, or a single value for all)."""
    criteria = list(candidate.cycle.criteria.all())
    if isinstance(values, int):
        values = [values] * len(criteria)
    scores = {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}
    return scorecard_submit(panelist=panelist, candidate=candidate, scores=scores)
