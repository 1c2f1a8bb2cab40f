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


def test_the_border_arrivals_page_on_past_the_cap_without_a_total(client, personas, lpc_ready, monkeypatch):
    """The border police's expected arrivals count like the case list: past the cap, "Page n" alone."""
    from gmmp.www.cases import views

    for _ in range(3):
        make_case(CaseState.LPC_ISSUED, **lpc_ready)
    client.force_login(personas["border_casa"])
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    assert "Page 1 sur 3" in client.get("/cases/").content.decode()
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 2)
    page = client.get("/cases/?page=3").content.decode()
    assert "Page 3" in page and "Page 3 sur" not in page
    assert page.count('href="/cases/') >= 1  # the third arrival is listed


def test_the_inbox_pages_on_past_the_cap_without_a_total(client, personas, monkeypatch):
    from gmmp.notifications.enums import NotificationKind
    from gmmp.notifications.services import notify
    from gmmp.www.notifications import views

    user = personas["cg_paris_agent"]
    for i in range(3):
        notify(key=f"cap-{i}", kind=NotificationKind.CASE_ROUTED, users=[user], case_reference=f"DI-{i}")
    client.force_login(user)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    assert "page 1 sur 3" in client.get("/notifications/").content.decode()
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 2)
    page = client.get("/notifications/?page=3").content.decode()
    assert "Page 3" in page and "sur 3" not in page
    assert "DI-0" in page  # the oldest, on the third page
