"""The quick log (its page and its save), the student type-ahead and the list (with a search) run
the same number of queries with ten times the data: records, students, categories, bright lines."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Category, Interaction
from tests.district.factories import StudentFactory
from tests.incidents.factories import log
from tests.incidents.test_views import CREATE, payload

pytestmark = pytest.mark.django_db


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


@pytest.fixture
def grow(officer, school, bright_lines):
    """Adds ``n`` records of two students each, ``n`` roster students named "Jordan" and a category
    (every other one tied to a bright line) per ten records."""

    def grow(n: int) -> None:
        for i in range(n):
            StudentFactory(school=school, given_name="Jordan")
            students = [StudentFactory(school=school) for _ in range(2)]
            log(author=officer.user, school=school, students=students, narrative=f"Lunch visit {i}.")
            if i % 10 == 0:
                code = "no-dress-code" if i % 20 == 0 else ""
                Category.objects.create(
                    name=f"Local category {Category.objects.count()}", bright_line_code=code
                )

    return grow


def test_the_quick_log_page_and_its_save(verified_client, officer, school, grow):
    grow(3)
    verified_client.login(officer.user)
    tied = Category.objects.get(name="Dress code")
    a, b = (StudentFactory(school=school) for _ in range(2))

    def save():
        data = payload(school, {"student": a.student_number}, {"student": b.student_number},
                       category=tied.pk, returned_to_administration="yes", follow_up_needed="on",
                       follow_up_due=str(Interaction.objects.first().occurred_at.date()))  # fmt: skip
        assert verified_client.post(CREATE, data).status_code == 302

    def page():
        assert verified_client.get(CREATE).status_code == 200

    small_page, small_save = _queries(page), _queries(save)
    grow(30)
    assert _queries(page) == small_page
    assert _queries(save) == small_save
    assert small_page <= 20


def test_the_type_ahead(verified_client, officer, school, grow):
    grow(12)  # ten results and more: the page of suggestions is full either way
    verified_client.login(officer.user)
    url = reverse("incidents:student_search")

    def search():
        assert len(verified_client.get(url, {"q": "Jor"}).json()["results"]) == 10

    small = _queries(search)
    grow(120)
    assert _queries(search) == small
    assert small <= 12


@pytest.mark.parametrize("search", [{}, {"text": "lunch visit"}])
def test_the_list(verified_client, officer, coordinator, grow, search):
    grow(5)
    verified_client.login(coordinator)
    url = reverse("incidents:interaction_list")

    def listing():
        assert verified_client.get(url, search).context["page"].paginator.count >= 5

    small = _queries(listing)
    grow(45)  # and the page goes from five rows to a full 25
    assert _queries(listing) == small


def test_a_save_with_the_same_key_twice_runs_no_more_than_the_first(
    verified_client, officer, school, bright_lines
):
    verified_client.login(officer.user)
    data = payload(school, key=str(uuid.uuid4()))
    first = _queries(lambda: verified_client.post(CREATE, data))
    again = _queries(lambda: verified_client.post(CREATE, data))
    assert Interaction.objects.count() == 1 and again <= first
