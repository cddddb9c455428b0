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
