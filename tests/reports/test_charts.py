"""The server-drawn charts are marked safe: every piece of text in them (series names, labels a
coordinator typed, such as a category's name) must reach the SVG escaped."""

from reports.charts import bar_chart

HOSTILE = '<script>alert("x")</script> & "quoted"'


def test_labels_and_series_are_escaped():
    chart = bar_chart(title="Contacts", series=[HOSTILE], rows=[(HOSTILE[:25], [3]), ("Plain", [None])])
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&amp;" in svg and "&quot;quoted&quot;" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_a_long_label_is_cut_before_it_is_escaped():
    # Cut after escaping, an entity could be split in two ("&am…").
    chart = bar_chart(title="T", series=["Now"], rows=[("&" * 40, [1])])
    assert "&amp;" * 29 + "…" in str(chart.svg)
