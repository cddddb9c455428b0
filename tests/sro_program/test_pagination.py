"""The capped paginator counts no further than its cap, and says so."""

import pytest

from district.models import School
from sro_program.pagination import CappedPaginator


def test_under_the_cap_it_counts_exactly():
    paginator = CappedPaginator(list(range(7)), 5, cap=10)
    assert paginator.count == 7
    assert not paginator.capped
    assert paginator.num_pages == 2


def test_past_the_cap_it_stops_counting_and_says_so():
    paginator = CappedPaginator(list(range(30)), 5, cap=10)
    assert paginator.count == 10
    assert paginator.capped
    assert paginator.num_pages == 2
    assert list(paginator.get_page(2)) == [5, 6, 7, 8, 9]


@pytest.mark.django_db
def test_a_queryset_is_counted_with_a_limit():
    for code in ("A", "B", "C"):
        School.objects.create(code=code, name=code, level="high")
    exact = CappedPaginator(School.objects.order_by("name"), 2, cap=3)
    assert exact.count == 3 and not exact.capped
    capped = CappedPaginator(School.objects.order_by("name"), 2, cap=2)
    assert capped.count == 2 and capped.capped
