import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


@pytest.mark.parametrize(
    ("person", "heading"),
    [
        ("coordinator", "Program overview"),
        ("officer_user", "Your schools today"),
        ("school_admin", "Your schools"),
        ("supervisor", "Your agency's officers today"),
    ],
)
def test_each_role_lands_on_its_home(request, verified_client, officer, person, heading):
    user = request.getfixturevalue(person)
    verified_client.login(user)
    response = verified_client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_role_needing_second_factor_is_sent_to_set_it_up(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:setup")


def test_supervisor_needs_no_second_factor(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("home")).status_code == 200


def test_coordinator_home_reads_today_as_the_coverage_page_does(
    verified_client, coordinator, officer, school
):
    """An officer on leave leaves the school uncovered on the home page too, not only on coverage."""
    from django.utils import timezone

    from tests.officers.factories import OfficerLeaveFactory

    verified_client.login(coordinator)
    page = verified_client.get(reverse("home")).content.decode()
    assert "Every school has an officer today." in page

    today = timezone.localdate()
    OfficerLeaveFactory(officer=officer, start_date=today, end_date=today)
    page = verified_client.get(reverse("home")).content.decode()
    nobody = page.split("Schools with nobody today", 1)[1].split("</ul>", 1)[0]
    assert school.name in nobody


def test_coordinator_home_runs_the_same_queries_with_ten_times_the_schools(
    verified_client, coordinator, academic_year
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.officers.factories import AssignmentFactory

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert verified_client.get(reverse("home")).status_code == 200
        return len(queries)

    verified_client.login(coordinator)
    AssignmentFactory.create_batch(2, academic_year=academic_year)
    few = count()
    AssignmentFactory.create_batch(20, academic_year=academic_year)
    assert count() == few
