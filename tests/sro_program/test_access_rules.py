"""One project-level way to ask an app's access door: views ``requires`` a rule, templates ask
``user|may:"<app>.<rule>"``, and both resolve to the same ``<app>.access.may_*`` function."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from district import access as district_access
from sro_program.templatetags.access import _rule
from sro_program.views_support import requires

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def _may(user, rule: str) -> str:
    return Template('{% load access %}{% if user|may:"' + rule + '" %}yes{% else %}no{% endif %}').render(
        Context({"user": user})
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "expected"),
    [("coordinator", "yes"), ("school_admin", "yes"), ("officer_user", "no"), ("supervisor", "no")],
)
def test_a_template_asks_the_apps_own_rule(request, person, expected):
    user = request.getfixturevalue(person)
    assert _may(user, "district.view_roster") == expected
    assert district_access.may_view_roster(user) is (expected == "yes")


def test_the_filter_resolves_to_the_apps_may_function():
    from officers import access as officers_access

    assert _rule("district.view_roster") is district_access.may_view_roster
    assert _rule("officers.view_coverage") is officers_access.may_view_coverage


def test_someone_signed_out_may_nothing():
    assert _may(AnonymousUser(), "district.view_roster") == "no"


@pytest.mark.parametrize(
    "rule", ["district.no_such_rule", "nosuchapp.view_roster", "view_roster", "district.", "outbox.anything"]
)
def test_a_misspelt_rule_is_an_error_not_a_hidden_link(rule):
    with pytest.raises(TemplateSyntaxError):
        _may(AnonymousUser(), rule)


def test_every_rule_a_template_names_exists():
    """A template shown only to a few roles would otherwise hide a misspelt rule until it is opened."""
    named = {
        match
        for path in TEMPLATES_DIR.rglob("*.html")
        for match in re.findall(r"""\|may:["']([^"']+)["']""", path.read_text())
    }
    assert {"district.view_access_log", "district.import_roster", "officers.view_coverage"} <= named
    for rule in named:
        assert callable(_rule(rule)), rule


def test_requires_refuses_with_403_and_keeps_its_rule_on_the_view():
    rule = lambda user: user.username == "allowed"  # noqa: E731

    @requires(rule)
    def page(request):
        return "page"

    request = RequestFactory().get("/")
    request.user = type("User", (), {"username": "allowed"})()
    assert page(request) == "page" and page.access_rule is rule
    request.user.username = "someone else"
    with pytest.raises(PermissionDenied):
        page(request)


@pytest.mark.parametrize("module", ["sro_program/views_support.py", "sro_program/templatetags/access.py"])
def test_the_shared_helpers_import_no_app_so_every_app_may_use_them(module):
    tree = ast.parse((Path(settings.BASE_DIR) / module).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    project_apps = {"district", "officers", "people", "incidents", "feedback", "outbox", "sro_program"}
    assert not imported & project_apps, imported
