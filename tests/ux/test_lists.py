"""Case lists as people read them: dates all dd/mm/yyyy, no column naming the user's own organisation,
an urgency badge in words, the order announced is the order shown, sortable columns, a logged CSV export."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from gmmp.audit.models import AccessLog
from gmmp.cases.enums import CaseState
from tests.factories import make_case


@pytest.fixture
def cases(lpc_ready):
    return [
        make_case(CaseState.ROUTED, **lpc_ready, last_name="ALAOUI", birth_date="2005-12-17", sex="M"),
        make_case(CaseState.ROUTED, **lpc_ready, last_name="BERRADA", birth_date="1990-03", sex="F"),
        make_case(CaseState.IDENTIFIED, **lpc_ready, last_name="CHRAIBI", birth_date="1980", sex="M"),
    ]


def page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_birth_dates_are_written_like_every_other_date(client, personas, cases):
    html = page(client, personas["pref75_agent"])
    assert "17/12/2005" in html and "03/1990" in html
    assert "2005-12-17" not in html and "1990-03" not in html


def test_no_column_names_the_users_own_organisation(client, personas, cases):
    prefecture = page(client, personas["pref75_agent"])
    assert ">Préfecture<" not in prefecture and "Consulat" in prefecture
    consulate = page(client, personas["cg_paris_agent"])
    assert ">Consulat<" not in consulate and "Préfecture" in consulate
    central = page(client, personas["dgef_central"])
    assert "Préfecture" in central and "Consulat" in central


def test_the_urgency_badge_says_what_is_due(client, personas, cases):
    html = page(client, personas["cg_paris_agent"])
    badges = html.split('class="badge ')[1:]
    assert badges
    assert all(
        ("Réponse" in b.split("</span>")[0])
        or ("rétention" in b.split("</span>")[0])
        or ("Libération" in b.split("</span>")[0])
        for b in badges
    )


def test_the_consulate_queue_announces_the_order_it_keeps(client, personas, cases):
    html = page(client, personas["cg_paris_agent"])
    assert "la plus proche échéance d'abord" in html
    assert "date de fin de rétention, puis date de réponse" not in html


def test_columns_sort_both_ways_and_say_so(client, personas, cases):
    html = page(client, personas["pref75_agent"], sort="name")
    assert html.index("ALAOUI") < html.index("BERRADA") < html.index("CHRAIBI")
    assert 'aria-sort="ascending"' in html and "sort=-name" in html
    html = page(client, personas["pref75_agent"], sort="-name")
    assert html.index("CHRAIBI") < html.index("BERRADA") < html.index("ALAOUI")
    assert 'aria-sort="descending"' in html
    # An unknown sort is ignored, not an error.
    page(client, personas["pref75_agent"], sort="password")


def test_the_csv_export_follows_filters_and_sort_and_is_logged(client, personas, cases):
    client.force_login(personas["pref75_agent"])
    before = AccessLog.objects.filter(action="export").count()
    response = client.get(
        reverse("cases:list"), {"sort": "-name", "state": CaseState.ROUTED, "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["BERRADA", "ALAOUI"]
    assert rows[1][3] == "03/1990"
    log = AccessLog.objects.filter(action="export").order_by("-at").first()
    assert AccessLog.objects.filter(action="export").count() == before + 1
    assert log.user == personas["pref75_agent"] and log.detail["count"] == 2
    assert "ALAOUI" not in str(log.detail)


def test_the_secretariat_cannot_export_cases(client, personas, cases):
    client.force_login(personas["gmmp_secretariat"])
    assert client.get(reverse("cases:list"), {"format": "csv"}).status_code == 404


def test_state_labels_agree_with_the_persons_sex(client, personas, lpc_ready):
    man = make_case(CaseState.IDENTIFIED, **lpc_ready, last_name="HOMME", sex="M")
    woman = make_case(CaseState.IDENTIFIED, **lpc_ready, last_name="FEMME", sex="F")
    client.force_login(personas["pref75_agent"])
    assert (
        "Identifié comme ressortissant marocain"
        in client.get(reverse("cases:detail", args=[man.reference])).content.decode()
    )
    assert (
        "Identifiée comme ressortissante marocaine"
        in client.get(reverse("cases:detail", args=[woman.reference])).content.decode()
    )
    client.cookies.load({"django_language": "ar"})
    with translation.override("fr"):  # the requests activate Arabic: left behind, it would leak
        html = client.get(reverse("cases:detail", args=[man.reference])).content.decode()
        assert "تم تحديد هويته" in html
        html = client.get(reverse("cases:detail", args=[woman.reference])).content.decode()
        assert "تم تحديد هويتها" in html


def test_a_list_page_runs_the_same_number_of_queries_whatever_the_number_of_rows(
    client, personas, lpc_ready, django_assert_max_num_queries
):
    for _n in range(3):
        make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    client.get(reverse("cases:list"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("cases:list"))
    for _n in range(6):
        make_case(CaseState.ROUTED, **lpc_ready)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))
