"""A small hand-built programme and figures; the hand-computed indicators are in test_indicators.py."""

import datetime as dt
from decimal import Decimal

from gmmp.mobility import actions
from gmmp.mobility.enums import CheckKind, ComplaintOutcome, Housing
from gmmp.organisations.models import Departement

D = dt.date


def programme(personas) -> dict:
    """Workers A (2024 returned in time, re-hired 2025), B (2024 not returned), D (2024 late return),
    E (2024 cancelled), F (2025 first season), C (2025 cancelled)."""
    ofii, anapec = personas["ofii_officer"], personas["anapec_officer"]
    farm = actions.employer_create(
        user=anapec,
        name="EARL Démo des Vergers",
        siret="00000000000011",
        departement=Departement.objects.get(code="13"),
        sector="agriculture",
    )
    vines = actions.employer_create(
        user=anapec,
        name="Domaine Démo du Coteau",
        siret="00000000000022",
        departement=Departement.objects.get(code="33"),
        sector="viticulture",
    )
    w = {}
    for ref, last, first in (
        ("A", "DEMO-AMRANI", "Fatima"),
        ("B", "DEMO-BOUZID", "Khadija"),
        ("C", "DEMO-CHERKAOUI", "Aicha"),
        ("D", "DEMO-DRISSI", "Zineb"),
        ("E", "DEMO-ELIDRISSI", "Naima"),
        ("F", "DEMO-FILALI", "Samira"),
    ):
        w[ref] = actions.worker_create(
            user=anapec, anapec_ref=f"DEMO-{ref}", last_name=last, first_name=first, birth_date=D(1990, 1, 1)
        )

    def contract(ref, employer, start, end):
        return actions.contract_create(
            user=anapec,
            worker=w[ref],
            employer=employer,
            start_date=start,
            end_date=end,
            monthly_wage=Decimal("1766.92"),
            housing=Housing.EMPLOYER,
        )

    c = {}
    c["A24"] = contract("A", farm, D(2024, 4, 1), D(2024, 10, 15))
    actions.contract_record_arrival(user=ofii, contract=c["A24"], on=D(2024, 4, 2))
    actions.contract_record_return(user=anapec, contract=c["A24"], on=D(2024, 10, 20))
    c["B24"] = contract("B", farm, D(2024, 5, 1), D(2024, 10, 31))
    actions.contract_record_arrival(user=ofii, contract=c["B24"], on=D(2024, 5, 2))
    actions.contract_record_no_return(user=ofii, contract=c["B24"])
    c["D24"] = contract("D", vines, D(2024, 7, 1), D(2024, 12, 15))
    actions.contract_record_arrival(user=ofii, contract=c["D24"], on=D(2024, 7, 1))
    actions.contract_record_return(user=anapec, contract=c["D24"], on=D(2025, 1, 20))  # 36 days after the end
    c["E24"] = contract("E", vines, D(2024, 6, 1), D(2024, 11, 30))
    actions.contract_cancel(user=anapec, contract=c["E24"])
    c["A25"] = contract("A", farm, D(2025, 3, 1), D(2025, 8, 31))
    actions.contract_record_arrival(user=ofii, contract=c["A25"], on=D(2025, 3, 3))
    c["F25"] = contract("F", vines, D(2025, 2, 10), D(2025, 8, 10))
    actions.contract_record_arrival(user=ofii, contract=c["F25"], on=D(2025, 2, 11))
    c["C25"] = contract("C", farm, D(2025, 1, 15), D(2025, 6, 30))
    actions.contract_cancel(user=anapec, contract=c["C25"])

    actions.rights_check_record(
        user=ofii, contract=c["A25"], kind=CheckKind.WAGE, checked_on=D(2025, 3, 20), compliant=True
    )
    actions.rights_check_record(
        user=ofii,
        contract=c["F25"],
        kind=CheckKind.HOUSING,
        checked_on=D(2025, 2, 20),
        compliant=False,
        note="Chambre sans chauffage",
    )
    actions.rights_check_record(
        user=anapec, contract=c["F25"], kind=CheckKind.HOURS, checked_on=D(2025, 4, 2), compliant=True
    )
    f_complaint = actions.complaint_file(
        user=anapec,
        contract=c["F25"],
        subject=CheckKind.HOUSING,
        filed_on=D(2025, 2, 21),
        summary="Logement insalubre",
    )
    actions.complaint_close(
        user=ofii,
        complaint=f_complaint,
        outcome=ComplaintOutcome.UPHELD,
        closed_on=D(2025, 4, 10),
        note="Relogement par l'employeur",
    )
    b_complaint = actions.complaint_file(
        user=ofii,
        contract=c["B24"],
        subject=CheckKind.WAGE,
        filed_on=D(2024, 11, 5),
        summary="Heures non payées",
    )
    actions.complaint_close(
        user=anapec, complaint=b_complaint, outcome=ComplaintOutcome.SETTLED, closed_on=D(2024, 12, 1)
    )
    return {"workers": w, "contracts": c}
