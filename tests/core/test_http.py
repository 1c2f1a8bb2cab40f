"""`core.http.reverse_each`: the links of a list page, reversed once, are the links reverse() makes."""

import pytest
from django.urls import reverse

from gmmp.core.http import reverse_each

VALUES = ["DI-2026-000123", "B-17", "a b", "é/ü", "x:y@z~!$&'()*+,;=", "50%", "<script>", "ع-١"]


@pytest.mark.parametrize(
    ("name", "argument"), [("cases:detail", "reference"), ("api:case_read", "reference")]
)
def test_reverse_each_makes_the_links_reverse_makes(name, argument):
    link = reverse_each(name, argument)
    for value in VALUES:
        if "/" in value:
            continue  # the str converter refuses "/": reverse() raises, no link to compare
        assert link(value) == reverse(name, kwargs={argument: value}), value


def test_reverse_each_follows_the_script_prefix(settings):
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/gmmp/")
    try:
        assert reverse_each("cases:detail", "reference")("B-1") == "/gmmp/cases/B-1/"
    finally:
        set_script_prefix(before)
