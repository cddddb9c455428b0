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
