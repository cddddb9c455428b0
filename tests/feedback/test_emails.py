"""The links in survey emails: resolved once per URL name, yet the same as reverse() gives for every
token, under any script prefix."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from feedback.emails import absolute, link, opt_out_token
from feedback.services.rounds import new_token


@pytest.mark.parametrize("prefix", ["/", "/sro/"])
def test_a_link_is_what_reverse_gives(prefix):
    set_script_prefix(prefix)
    try:
        for _ in range(20):
            token, _hash = new_token()
            assert link("feedback:answer", token) == absolute(reverse("feedback:answer", args=[token]))
        for email in ("o'brien+family@school.example", "ÁNA@escuela.example", "a@b.example"):
            signed = opt_out_token(email)
            assert link("feedback:opt_out", signed) == absolute(reverse("feedback:opt_out", args=[signed]))
        assert link("feedback:concern_public") == absolute(reverse("feedback:concern_public"))
        assert reverse("feedback:concern_public").startswith(prefix)  # the cache keeps prefixes apart
    finally:
        clear_script_prefix()
        set_script_prefix("/")
