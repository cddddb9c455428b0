"""The word diff of two versions is marked safe: the words of either text reach it escaped."""

from agreements.selectors.versions import text_diff


def test_words_of_either_text_are_escaped_in_and_out_of_the_marks():
    left, right = text_diff('Officers <b>never</b> act & "enforce"', "Officers <i>never</i> act & decide")
    for html in (str(left), str(right)):
        assert "<b>" not in html and "<i>" not in html
        assert "&lt;" in html and "&amp;" in html
    assert "<del>" in str(left) and "<ins>" in str(right)
    assert "&quot;enforce&quot;" in str(left)
