"""Demo data for legal mobility and irregular migration: plausible, plainly fictitious (names DEMO-…, SIRET
000…, sources marked « démo »), relative to today. Idempotent: does nothing if figures are already there."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from gmmp.core import clock
from gmmp.indicators.periods import add_months
from gmmp.organisations.enums import Role
from gmmp.organisations.models import Departement, Organisation, User

from . import actions
from .enums import CheckKind, ComplaintOutcome, Housing, IrregularMeasure
from .models import IrregularFigure, SeasonalContract, StudentVisaFigure

# Rough shares of each post and level in the applications (fictitious, of a plausible order).
POSTS = {"RABAT": 0.3, "CASABLANCA": 0.3, "FES": 0.12, "MARRAKECH": 0.1, "TANGER": 0.1, "AGADIR": 0.08}
LEVELS = {"LICENCE": 0.35, "MASTER": 0.45, "DOCTORAT": 0.05, "AUTRE": 0.15}
# Study visas peak from June to September.
SEASON = {1: 0.3, 2: 0.3, 3: 0.4, 4: 0.5, 5: 0.8, 6: 1.6, 7: 2.4, 8: 2.6, 9: 1.4, 10: 0.4, 11: 0.3, 12: 0.2}
EMPLOYERS = [
    ("EARL Démo des Vergers du Rhône", "00000000000101", "13", "agriculture"),
    ("SCEA Démo Fraises de Garonne", "00000000000102", "47", "horticulture"),
    ("Domaine Démo des Coteaux", "00000000000103", "33", "viticulture"),
    ("GAEC Démo du Roussillon", "00000000000104", "66", "agriculture"),
    ("Hôtel Démo de la Plage", "00000000000105", "06", "tourism"),
]
FIRST = [
    "Fatima",
    "Khadija",
    "Aicha",
    "Naima",
    "Samira",
    "Zineb",
    "Hafsa",
    "Malika",
    "Rachida",
    "Souad",
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Hassan",
    "Said",
]
LAST = [
    "AMRANI",
    "BENALI",
    "CHERKAOUI",
    "DRISSI",
    "EL FASSI",
    "FILALI",
    "GHAZI",
    "HAMDI",
    "IDRISSI",
    "JABRI",
    "KABBAJ",
    "LAHLOU",
    "MANSOURI",
    "NACIRI",
    "OUALI",
]


def _user(code: str, role: str) -> User:
    org = Organisation.objects.get(code=code)
    """The demo's own author for each service (no password: nobody logs in as it)."""
    user, created = User.objects.get_or_create(
        username=f"demo-import-{code.lower()}", defaults={"organisation": org, "role": role}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def mobility_demo_prepare(seed: int = 2026) -> dict:
    if (
        StudentVisaFigure.objects.exists()
        or SeasonalContract.objects.exists()
        or IrregularFigure.objects.exists()
    ):
        return {"skipped": True}
    rng = random.Random(seed)
    today = clock.today()
    dgef, dmsf = _user("DGEF", Role.CENTRAL), _user("DMSF", Role.CENTRAL)
    ofii, anapec = _user("OFII", Role.OFII_OFFICER), _user("ANAPEC", Role.ANAPEC_OFFICER)
    counts = {"visa_rows": 0, "irregular_rows": 0, "contracts": 0}

    # Student visas: the last 18 complete months, by post and level.
    first = add_months(today.replace(day=1), -18)
    for k in range(18):
        month = add_months(first, k)
        for post, p_share in POSTS.items():
            for level, l_share in LEVELS.items():
                applications = round(2400 * p_share * l_share * SEASON[month.month] * rng.uniform(0.85, 1.15))
                decided = round(applications * rng.uniform(0.85, 0.98))
                issued = round(decided * rng.uniform(0.62, 0.82))
                actions.visa_figure_record(
                    user=dgef,
                    month=month,
                    post=post,
                    level=level,
                    applications=applications,
                    issued=issued,
                    refused=decided - issued,
                    note="démo",
                )
                counts["visa_rows"] += 1

    # Irregular migration: the last 8 complete quarters, each side its own measures, one correction.
    current_q = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for k in range(8, 0, -1):
        quarter = add_months(current_q, -3 * k)
        for side, user, measures in (
            ("MA", dmsf, {"departures_prevented": 14000, "networks_dismantled": 45, "interceptions": 9000}),
            ("FR", dgef, {"networks_dismantled": 12, "interceptions": 2500, "irregular_arrivals": 2200}),
        ):
            for measure, base in measures.items():
                actions.irregular_figure_record(
                    user=user,
                    quarter=quarter,
                    side=side,
                    measure=measure,
                    value=round(base * rng.uniform(0.8, 1.2)),
                    source=(
                        "DGSN, bilan trimestriel (démo)"
                        if side == "MA"
                        else "DGEF/PAF, bilan trimestriel (démo)"
                    ),
                )
                counts["irregular_rows"] += 1
    last_q = add_months(current_q, -3)
    figure = IrregularFigure.objects.current().get(
        quarter=last_q, side="MA", measure=IrregularMeasure.NETWORKS_DISMANTLED
    )
    actions.irregular_figure_record(
        user=dmsf,
        quarter=last_q,
        side="MA",
        measure=figure.measure,
        value=figure.value + 3,
        source="DGSN, bilan trimestriel révisé (démo)",
        note="Trois réseaux confirmés après enquête (démo)",
    )

    # Seasonal workers: two seasons, 40 workers, most come back, some are re-hired.
    employers = [
        actions.employer_create(
            user=anapec, name=n, siret=s, departement=Departement.objects.get(code=d), sector=sec
        )
        for n, s, d, sec in EMPLOYERS
    ]
    workers = [
        actions.worker_create(
            user=anapec,
            anapec_ref=f"DEMO-{n + 1:04d}",
            last_name=f"DEMO-{rng.choice(LAST)}",
            first_name=rng.choice(FIRST),
            birth_date=dt.date(rng.randint(1975, 2000), rng.randint(1, 12), rng.randint(1, 28)),
            cin=f"DEMO{n + 1:05d}",
        )
        for n in range(40)
    ]
    last_season, this_season = today.year - 1, today.year
    returned_last: list = []
    for season in (last_season, this_season):
        pool = workers[:30] if season == last_season else returned_last[:18] + workers[30:]
        for worker in pool:
            start = dt.date(season, rng.choice([3, 4, 5, 6]), rng.randint(1, 28))
            end = start + dt.timedelta(days=rng.choice([120, 150, 180]))
            employer = rng.choice(employers)
            contract = actions.contract_create(
                user=anapec,
                worker=worker,
                employer=employer,
                start_date=start,
                end_date=end,
                monthly_wage=Decimal("1801.80"),
                housing=rng.choice(list(Housing.values)),
            )
            counts["contracts"] += 1
            if start > today:
                continue
            if rng.random() < 0.05:
                actions.contract_cancel(user=anapec, contract=contract)
                continue
            actions.contract_record_arrival(
                user=ofii, contract=contract, on=start + dt.timedelta(days=rng.randint(0, 3))
            )
            check_day = start + dt.timedelta(days=30)
            if check_day <= today:
                for kind in CheckKind.values:
                    actions.rights_check_record(
                        user=rng.choice([ofii, anapec]),
                        contract=contract,
                        kind=kind,
                        checked_on=check_day,
                        compliant=rng.random() > 0.12,
                    )
            if rng.random() < 0.15 and check_day + dt.timedelta(days=2) <= today:
                complaint = actions.complaint_file(
                    user=rng.choice([ofii, anapec]),
                    contract=contract,
                    subject=rng.choice(CheckKind.values),
                    filed_on=check_day + dt.timedelta(days=2),
                    summary="Plainte de démonstration",
                )
                closed_on = complaint.filed_on + dt.timedelta(days=rng.randint(10, 60))
                if closed_on <= today:
                    actions.complaint_close(
                        user=rng.choice([ofii, anapec]),
                        complaint=complaint,
                        outcome=rng.choice(ComplaintOutcome.values),
                        closed_on=closed_on,
                    )
            if end < today:
                if rng.random() < 0.9:
                    back = min(end + dt.timedelta(days=rng.choice([1, 3, 7, 45])), today)
                    actions.contract_record_return(user=anapec, contract=contract, on=back)
                    if season == last_season:
                        returned_last.append(worker)
                else:
                    actions.contract_record_no_return(user=ofii, contract=contract)
    return counts
