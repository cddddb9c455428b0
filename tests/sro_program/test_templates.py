"""The template conventions: wide tables scroll in one named region, forms render one way, and
status words come from the code, not from literals in templates."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

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
