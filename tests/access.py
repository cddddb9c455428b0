"""The one access-table helper that every app's access test uses.

An app's access test names its people (fixtures named by role) and, per page, the status each
should get; ``access_table`` turns that into one test case per page and person, and
``status_for`` opens the page as that person (anonymous through the plain client, everyone else
signed in with the second factor passed).
"""

from __future__ import annotations

import pytest

# The people most tables use, in this order. An app may pass its own list.
PEOPLE = (
    "anonymous",
    "outsider",
    "officer_user",
    "supervisor",
    "school_admin",
    "other_school_admin",
    "district_admin",
    "coordinator",
)


def access_table(table: dict[str, list[int]], people=PEOPLE) -> list:
    """One ``pytest.param(page, person, expected)`` per cell of ``table`` (page -> statuses)."""
    return [
        pytest.param(page, person, status, id=f"{page}-{person}")
        for page, statuses in table.items()
        for person, status in zip(people, statuses, strict=True)
    ]


def status_for(
    request, client, verified_client, person: str, url: str, *, method: str = "get", data=None
) -> int:
    """The status ``person`` gets for ``url``; an anonymous visitor must be sent to sign in."""
    from django.urls import reverse

    if person == "anonymous":
        response = getattr(client, method)(url, data or {})
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("two_factor:login") + "?next=")
        return response.status_code
    verified_client.login(request.getfixturevalue(person))
    return getattr(verified_client, method)(url, data or {}).status_code
