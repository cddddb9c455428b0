"""The template conventions: wide tables scroll in one named region, forms render one way, and
status words come from the code, not from literals in templates."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from district.models import ImportStatus, RosterImport
from officers.selectors.training import CellStatus

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
SCROLL_INCLUDE = TEMPLATES_DIR / "includes" / "table_scroll.html"


def _templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def _render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_scrolltable_wraps_the_table_in_a_named_region_the_keyboard_reaches():
    html = _render(
        '{% scrolltable "Scores from" name %}<table><caption>x</caption></table>{% endscrolltable %}',
        name="Pat O'Brien <b>",
    )
    assert html.strip() == (
        '<div class="table-responsive" tabindex="0" role="region" '
        'aria-label="Scores from Pat O&#x27;Brien &lt;b&gt;"><table><caption>x</caption></table></div>'
    )


def test_scrolltable_refuses_a_region_without_a_name():
    with pytest.raises(TemplateSyntaxError, match="needs a label"):
        _render("{% scrolltable %}<table></table>{% endscrolltable %}")


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_every_table_scrolls_in_the_one_region(path):
    text = path.read_text()
    if path == SCROLL_INCLUDE:
        return
    assert "table-responsive" not in text, "write {% scrolltable %} instead of the wrapper's markup"
    assert text.count("<table") == text.count("{% scrolltable "), "each table sits in {% scrolltable %}"


def _app_sources() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [
        path
        for top in base.iterdir()
        if top.is_dir() and not top.name.startswith(".") and top.name != "tests"
        for path in top.rglob("*.py")
    ]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_forms_render_one_way(path):
    # The template owns the <form> tag, its buttons and its CSRF token; crispy renders the fields,
    # through {{ form|crispy }}, or {{ field|as_crispy_field }} where the page lays the fields out.
    assert "{% crispy " not in path.read_text(), "write {{ form|crispy }} inside the page's own <form>"


def test_no_form_carries_a_crispy_helper():
    # A helper would be ignored by {{ form|crispy }}: the markup it suggests would never be drawn.
    assert [str(path) for path in _app_sources() if "FormHelper" in path.read_text()] == []


# A status compared with, or passed as, a quoted word: the TextChoices (a model property, the label,
# or get_FOO_display) say it instead, so renaming a value cannot leave a page silently wrong.
STATUS_LITERAL = re.compile(
    r"""\bstatus\s*(?:==|!=)\s*["']|\bstatus=["']|["']\w+["'] in [\w.]+\.required_for"""
)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_no_template_spells_a_status_as_a_literal(path):
    assert STATUS_LITERAL.findall(path.read_text()) == []


@pytest.mark.parametrize("status", list(CellStatus))
def test_the_training_badge_takes_its_words_tone_and_symbol_from_the_status(status):
    badge = Template('{% include "officers/includes/training_status.html" %}')
    html = badge.render(Context({"status": status}))
    assert f"text-bg-{status.tone}" in html
    assert f'<span aria-hidden="true">{status.symbol}</span> {status.label}</span>' in html


def test_the_training_badge_keeps_its_wording():
    assert [status.label for status in CellStatus] == ["Current", "Expiring soon", "Expired", "Missing"]


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        (ImportStatus.PENDING, "secondary"),
        (ImportStatus.RUNNING, "info"),
        (ImportStatus.SUCCEEDED, "success"),
        (ImportStatus.FAILED, "danger"),
    ],
)
def test_the_import_badge_shows_the_status_label_in_its_tone(status, tone):
    roster_import = RosterImport(status=status)
    html = Template('{% include "district/import_status_badge.html" %}').render(
        Context({"roster_import": roster_import})
    )
    assert f'<span class="badge text-bg-{tone}">{status.label}</span>' in html
    assert roster_import.succeeded is (status == ImportStatus.SUCCEEDED)


def _filtersets():
    import importlib
    import importlib.util

    import django_filters
    from django.apps import apps

    # Import every project app's forms and filters, so each FilterSet it declares is found.
    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)):
            continue
        for module in ("forms", "filters"):
            if importlib.util.find_spec(f"{app.name}.{module}") is not None:
                importlib.import_module(f"{app.name}.{module}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(
        {c for c in subclasses(django_filters.FilterSet) if c.__module__.split(".")[0] != "django_filters"},
        key=lambda c: c.__qualname__,
    )


@pytest.mark.parametrize("filterset", _filtersets(), ids=lambda c: c.__qualname__)
def test_every_filter_field_has_a_real_label(filterset):
    """django-filter labels a method filter it cannot name "[invalid name]"; each needs its own."""
    form = filterset(data={}, queryset=filterset._meta.model.objects.none()).form
    for field in form.fields.values():
        assert field.label and "invalid name" not in str(field.label), (filterset, field)
