"""Checks made on every page of an accessibility sweep, beyond axe: shared by the per-app sweeps."""

from __future__ import annotations

import pytest

# Wrappers that let a table scroll sideways must be reachable and named; list those that are not.
UNREACHABLE_SCROLL_WRAPPERS = """() => [...document.querySelectorAll('.table-responsive')]
    .filter(e => e.getAttribute('tabindex') !== '0' || e.getAttribute('role') !== 'region'
                 || !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
    .map(e => e.outerHTML.slice(0, 120))"""
# Axe does not check non-text contrast (WCAG 1.4.11): a form field's border must reach 3:1 against
# the background it sits on. List the fields whose border does not.
FAINT_FIELD_BORDERS = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const background = e => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('.form-control, .form-select, .form-check-input')]
    .filter(e => e.offsetParent !== null)
    .filter(e => ratio(rgb(getComputedStyle(e).borderTopColor).slice(0, 3), background(e)) < 3)
    .map(e => (e.name || e.id) + ': ' + getComputedStyle(e).borderTopColor);
}"""
# A table in a scrolling wrapper must still be drawn (layout bugs can leave it 0px wide).
TABLES_NOT_DRAWN = """() => [...document.querySelectorAll('.table-responsive > table')]
    .filter(t => t.getBoundingClientRect().width < 1 || t.getBoundingClientRect().height < 1)
    .map(t => t.parentElement.getAttribute('aria-label'))"""
# A caption must be readable without scrolling the table: no wider than the wrapper it sits in.
CAPTIONS_CUT_OFF = """() => [...document.querySelectorAll('.table-responsive > table > caption')]
    .filter(c => !c.classList.contains('visually-hidden'))
    .filter(c => c.getBoundingClientRect().width > c.parentElement.parentElement.clientWidth + 1)
    .map(c => c.textContent.trim())"""


def sweep(pages, *, people, new_page, login_as, viewport_size, options, assert_accessible,
          assert_no_horizontal_scroll) -> list[str]:  # fmt: skip
    """Visit each role's pages signed in as that role; return every problem found, not just the first."""
    problems: list[str] = []
    for role, by_role in pages.items():
        page = new_page(viewport_size, **options)
        login_as(page, people[role])
        for name, path in by_role:
            where = f"{name} as {role} ({path})"
            response = page.goto(path)
            if response.status != 200:
                problems.append(f"{where}: answered {response.status}")
                continue
            for check in (assert_accessible, assert_no_horizontal_scroll):
                try:
                    check(page)
                except pytest.fail.Exception as failure:
                    problems.append(f"{where}: {failure.msg}")
            unreachable = page.evaluate(UNREACHABLE_SCROLL_WRAPPERS)
            if unreachable:
                problems.append(f"{where}: table wrapper not keyboard-reachable: {unreachable}")
            faint = page.evaluate(FAINT_FIELD_BORDERS)
            if faint:
                problems.append(f"{where}: form field borders under 3:1 contrast: {faint}")
            undrawn = page.evaluate(TABLES_NOT_DRAWN)
            if undrawn:
                problems.append(f"{where}: table drawn with no size: {undrawn}")
            cut_off = page.evaluate(CAPTIONS_CUT_OFF)
            if cut_off:
                problems.append(f"{where}: caption wider than its scrolling wrapper: {cut_off}")

    return problems
