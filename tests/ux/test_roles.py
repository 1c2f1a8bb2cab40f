"""Border police, public verification, accounts and help: each user's page says what they need."""

import datetime as dt

from django.urls import reverse

from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.organisations.models import User
from tests.factories import make_case
from tests.personas import PASSWORD


def test_the_border_list_shows_what_is_still_to_arrive_with_date_and_flight(client, personas, lpc_ready):
    today = clock.today()
    arriving = make_case(CaseState.DEPARTURE_SCHEDULED, **lpc_ready, last_name="ARRIVANT")
    arriving.departure_date, arriving.carrier, arriving.transport_number = today, "RAM", "AT 763"
    arriving.departure_port, arriving.arrival_port = "Paris-CDG", "Casablanca Mohammed V"
    arriving.save()
    later = make_case(CaseState.DEPARTURE_SCHEDULED, **lpc_ready, last_name="PLUSTARD")
    later.departure_date = today + dt.timedelta(days=3)
    later.save()
    done = make_case(CaseState.READMITTED, **lpc_ready, last_name="DEJAREADMIS")
    client.force_login(personas["border_casa"])
    html = client.get(reverse("cases:list")).content.decode()
    today_box = html[html.index('data-testid="arrivals-today"') :]
    today_box = today_box[: today_box.index("</section>")]
    assert "ARRIVANT" in today_box and "AT 763" in today_box and "PLUSTARD" not in today_box
    assert "Arrivée attendue aujourd'hui (1)" in today_box
    table = html[html.index("<table") :]
    assert "DEJAREADMIS" not in table
    assert table.index("ARRIVANT") < table.index("PLUSTARD")  # nearest departure first
    assert f"{today:%d/%m/%Y}" in table and "AT 763" in table
    # The route keeps its order in any direction of text: each end isolated.
    assert "<bdi>Paris-CDG</bdi>" in today_box and "<bdi>Casablanca Mohammed V</bdi>" in table
    # A finished case is not a check at the post (#15): not listed, whatever the filters.
    everything = client.get(reverse("cases:list"), {"q": ""}).content.decode()
    assert "DEJAREADMIS" not in everything and done.reference not in everything


def test_an_administrator_lands_on_the_administration_not_on_a_refusal(client, reference):
    admin = User.objects.create_user("admin-ux", password=PASSWORD, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/admin/")


def test_every_persona_lands_on_a_page_that_opens(client, personas):
    for name, user in personas.items():
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.status_code == 200, name


def test_a_user_changes_their_password_and_stays_signed_in(client, personas):
    user = personas["pref75_agent"]
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert 'class="required"' in page
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "y"},
    )
    assert wrong.status_code == 200 and 'id="error-summary"' in wrong.content.decode()
    new = "un-nouveau-mot-de-passe-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.status_code == 200 and "Mot de passe changé" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("cases:list")).status_code == 200  # still signed in


def test_the_help_page_explains_the_acronyms(client, personas):
    client.force_login(personas["cg_paris_agent"])
    html = client.get(reverse("www:help")).content.decode()
    for term in ("LPC", "OQTF", "CRA", "GMMP", "DGEF", "DMSF"):
        assert f"<strong>{term}</strong>" in html
    assert reverse("password_change") in html
    assert 'href="/help/"' in client.get(reverse("cases:list")).content.decode()
