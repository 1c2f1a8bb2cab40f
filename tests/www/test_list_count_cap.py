"""The case list counts its rows up to a cap (bench/RESULTS.md, "Load": a COUNT(*) of the national list
grows with the rows): up to the cap the page says how many, beyond it "Plus de N demandes", and the pager
still goes on page after page."""

import pytest

from gmmp.cases import selectors
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.selectors import CappedPaginator
from tests.factories import make_case


@pytest.fixture
def seven(lpc_ready):
    for _ in range(7):
        make_case(CaseState.ROUTED, **lpc_ready)
    return Case.objects.order_by("pk")


def test_below_the_cap_the_count_is_exact(seven):
    paginator = CappedPaginator(seven, 2, cap=7)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (7, False, 4)
    assert not paginator.get_page(4).has_next()


def test_beyond_the_cap_the_pages_go_on_to_the_last_row(seven):
    paginator = CappedPaginator(seven, 2, cap=3)
    assert (paginator.count, paginator.capped) == (4, True)
    pages = [paginator.get_page(n) for n in range(1, 5)]
    assert [p.has_next() for p in pages] == [True, True, True, False]
    assert [c.pk for p in pages for c in p.object_list] == list(seven.values_list("pk", flat=True))
    assert paginator.get_page(3).next_page_number() == 4


def test_the_national_list_says_more_than_the_cap(client, seven, personas, monkeypatch):
    client.force_login(personas["dgef_central"])
    page = client.get("/cases/").content.decode()
    assert "7 demandes" in page
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 5)
    page = client.get("/cases/").content.decode()
    assert "Plus de 5 demandes" in page
    assert "7 demandes" not in page
