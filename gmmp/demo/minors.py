"""About 40 fictitious unaccompanied minors' cases, in every step of the protected track, walked through
the real actions with the clock set to each step's moment (ledger, due dates and indicators are real).
Every child and relative is fictitious; none is in the adult track."""

import datetime as dt
import random

from django.db import transaction

from gmmp.core import clock
from gmmp.minors import actions
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorCase
from gmmp.minors.workflow import STEPS
from gmmp.organisations.models import User

BOYS = ["Ilyas", "Anouar", "Ayoub", "Hamza", "Zakaria", "Soufiane", "Yassine", "Adam", "Bilal", "Othmane"]
GIRLS = ["Salma", "Imane", "Hiba", "Meryem", "Aya"]
FAMILY = [
    "Demo-Amrani",
    "Demo-Zerhouni",
    "Demo-Kabbaj",
    "Demo-Haddad",
    "Demo-Saidi",
    "Demo-Naciri",
    "Demo-Ouali",
]
PLACES = ["Tanger", "Fès", "Béni Mellal", "Oujda", "Casablanca", "Khouribga", "Nador"]
PLACEMENTS = [
    "Foyer de l'enfance (fictif)",
    "Maison d'enfants à caractère social (fictive)",
    "Famille d'accueil (fictive)",
]
PDF = b"%PDF-1.4\n% decision fictive du juge des enfants (demo)\n%%EOF\n"

# How many cases end in each step (40 in all): every state of the track is shown.
TARGETS = [
    (S.REFERRED, 3),
    (S.IDENTIFIED, 2),
    (S.NOT_IDENTIFIED, 2),
    (S.FAMILY_TRACED, 2),
    (S.AGE_ASSESSED, 2),
    (S.FOUND_ADULT, 1),
    (S.SCREENED, 2),
    (S.ASSESSED, 2),
    (S.INQUIRY, 2),
    (S.RETURN_ORDERED, 2),
    (S.STAY_ORDERED, 3),
    (S.RECEPTION_CONFIRMED, 2),
    (S.TRAVEL_READY, 2),
    (S.HANDED_OVER, 3),
    (S.FOLLOWED_3M, 4),
    (S.FOLLOWED_12M, 4),
    (S.CLOSED, 2),
]
ORDER = STEPS  # the main path, in the order of the case page's progress line
# Where a case leaves the main path: the state it reaches, from which state, and how.
BRANCHES = {
    S.NOT_IDENTIFIED: S.REFERRED,
    S.FOUND_ADULT: S.FAMILY_TRACED,
    S.INQUIRY: S.ASSESSED,
    S.STAY_ORDERED: S.ASSESSED,
    S.CLOSED: S.SCREENED,
}


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=dt.UTC)


def _child(rng: random.Random) -> dict:
    sex = "F" if rng.random() < 0.15 else "M"
    return {
        "last_name": rng.choice(FAMILY),
        "first_names": rng.choice(GIRLS if sex == "F" else BOYS),
        "sex": sex,
        "birth_date": str(clock.today().year - rng.randint(13, 17)),
        "birth_place": rng.choice(PLACES),
        "father_first_name": rng.choice(["Mustapha", "Abdellah", "Hassan", "Driss", "Mohamed"]),
        "mother_first_name": rng.choice(["Naima", "Fatima", "Khadija", "Rachida", "Saadia"]),
        "mother_last_name": rng.choice(FAMILY),
        "languages": rng.choice(
            ["arabe dialectal", "arabe dialectal, français", "tamazight, arabe dialectal"]
        ),
        "placement": rng.choice(PLACEMENTS),
        "circumstances": "Pris en charge seul sur la voie publique (données fictives).",
    }


def _steps(target) -> list[S]:
    """The states the case goes through after the referral, up to `target`."""
    if target in BRANCHES:
        main = ORDER[1 : ORDER.index(BRANCHES[target]) + 1]
        return [*main, target]
    return ORDER[1 : ORDER.index(target) + 1]


def _moments(rng, target, n_steps: int, today: dt.date, n: int = 0) -> list[dt.date]:
    """The local days of the referral and of each step (the referral first); the first case handed over
    has its 3-month follow-up overdue."""
    gap = rng.randint(8, 15)
    if target in (S.HANDED_OVER, S.FOLLOWED_3M, S.FOLLOWED_12M):
        handover = today - dt.timedelta(
            days={S.HANDED_OVER: [110, 20, 45][n % 3], S.FOLLOWED_3M: rng.randint(100, 300)}.get(
                target, rng.randint(370, 400)
            )
        )
        before = ORDER.index(S.HANDED_OVER)  # referral .. hand-over
        days = [handover - dt.timedelta(days=gap * (before - i)) for i in range(before + 1)]
        if target in (S.FOLLOWED_3M, S.FOLLOWED_12M):
            days.append(actions.add_months(handover, 3) + dt.timedelta(days=rng.randint(-10, 12)))
        if target == S.FOLLOWED_12M:
            days.append(actions.add_months(handover, 12) + dt.timedelta(days=rng.randint(-12, 3)))
        return [min(d, today) for d in days]
    end = today - dt.timedelta(days=rng.randint(1, 40))
    return [end - dt.timedelta(days=gap * (n_steps - i)) for i in range(n_steps + 1)]


def _take(rng, case, state, day: dt.date):
    if state in (S.IDENTIFIED, S.NOT_IDENTIFIED):
        identified = state == S.IDENTIFIED
        return actions.minor_identify(
            case=case,
            user=case.consulate_officer,
            identified=identified,
            register_national_id=str(rng.randint(10**9, 10**10 - 1)) if identified else "",
            note="" if identified else "Aucune trace au registre ; parents introuvables (fictif).",
        )
    if state == S.FAMILY_TRACED:
        outcome = rng.choices(["found", "not_found", "refuses", "unsafe"], weights=[6, 2, 1, 1])[0]
        return actions.minor_trace_family(
            case=case,
            user=case.consulate_officer,
            outcome=outcome,
            contacts="Entretien téléphonique avec la famille et les services locaux (fictif).",
            father_register_id=str(rng.randint(10**9, 10**10 - 1)) if outcome != "not_found" else "",
        )
    if state in (S.AGE_ASSESSED, S.FOUND_ADULT):
        adult = state == S.FOUND_ADULT
        return actions.minor_assess_age(
            case=case,
            user=case.ase_officer,
            basis="civil_document" if adult else rng.choice(["consular", "social", "civil_document"]),
            conclusion="adult" if adult else "minor",
            assessment="Acte de naissance vérifié (fictif)." if adult else "Âge déclaré cohérent (fictif).",
            age_declared=rng.randint(14, 17),
        )
    if state == S.SCREENED:
        positive = rng.random() < 0.25
        return actions.minor_screen(
            case=case,
            user=case.ase_officer,
            result="positive" if positive else "negative",
            vulnerabilities=rng.sample(
                ["street", "mental_health", "violence", "health"], k=rng.randint(0, 2)
            ),
            trafficking_indicators=["debt", "forced_crime"] if positive else [],
            referral_service="Cellule d'aide aux victimes de la traite (fictive)" if positive else "",
            referral_date=day if positive else None,
        )
    if state == S.ASSESSED:
        stay = case.family_outcome in ("unsafe", "refuses") or rng.random() < 0.2
        return actions.minor_assess_best_interests(
            case=case,
            user=case.ase_officer,
            child_view="بغيت نبقى هنا ونكمل القراية" if stay else "بغيت نرجع عند الواليدين ديالي",
            child_view_language="arabe dialectal",
            recommendation="stay" if stay else "return",
            reasons="Évaluation pluridisciplinaire (fictive).",
        )
    if state in (S.RETURN_ORDERED, S.STAY_ORDERED, S.INQUIRY):
        outcome = {S.RETURN_ORDERED: "return", S.STAY_ORDERED: "stay", S.INQUIRY: "inquiry"}[state]
        return actions.minor_decide(
            case=case,
            user=case.judge,
            outcome=outcome,
            decision_date=day,
            decision_reference=f"DEMO-JE-{day:%Y}-{case.pk:04d}",
            document_name="decision-demo.pdf",
            document_data=PDF,
            document_content_type="application/pdf",
        )
    if state == S.RECEPTION_CONFIRMED:
        family = case.family_outcome == "found"
        return actions.minor_confirm_reception(
            case=case,
            user=case.child_services_officer,
            receiving_kind="family" if family else "institution",
            receiving_name=f"Famille {case.last_name}"
            if family
            else "Centre de protection de l'enfance (fictif)",
            receiving_person=f"{case.mother_first_name} {case.mother_last_name}"
            if family
            else "Directrice du centre (fictive)",
            receiving_relation="mère" if family else "directrice",
        )
    if state == S.TRAVEL_READY:
        return actions.minor_issue_travel_document(
            case=case,
            user=case.consulate_officer,
            number=f"DEMO-MNA-LP-{case.pk:05d}",
            travel_date=day + dt.timedelta(days=10),
            escort="Éducateur de l'ASE et agent consulaire (fictifs)",
        )
    if state == S.HANDED_OVER:
        return actions.minor_confirm_handover(
            case=case,
            user=case.child_services_officer,
            handover_date=day,
            place=rng.choice(["Aéroport Mohammed V, Casablanca", "Port de Tanger Med"]),
            person=case.receiving_person,
        )
    if state in (S.FOLLOWED_3M, S.FOLLOWED_12M):
        return actions.minor_record_followup(
            case=case,
            user=case.child_services_officer,
            which="3m" if state == S.FOLLOWED_3M else "12m",
            received_on=day,
            content="Visite à domicile : l'enfant est scolarisé et suivi (fictif).",
        )
    if state == S.CLOSED:
        return actions.minor_close(
            case=case, user=case.ase_officer, reason=rng.choice(["runaway", "majority"])
        )
    raise ValueError(state)  # pragma: no cover


def demo_minors_create(*, seed: int = 2026, today: dt.date | None = None) -> int:
    """The demo's children's cases (skipped when some exist). Referrals come from the ASE of Paris and of
    Seine-Saint-Denis, some from the juge des enfants."""
    if MinorCase.objects.exists():
        return 0
    rng = random.Random(seed)
    today = today or clock.today()
    referrers = [
        User.objects.get(username=u) for u in ("ase.paris", "ase.seinesaintdenis", "juge.enfants.paris")
    ]
    made = 0
    for target, count in TARGETS:
        for n in range(count):
            states = _steps(target)
            days = _moments(rng, target, len(states), today, n)
            with transaction.atomic():
                with clock.frozen(_at(days[0], rng)):
                    case = actions.minor_refer(user=rng.choice(referrers), data=_child(rng))
                for state, day in zip(states, days[1:], strict=True):
                    with clock.frozen(_at(day, rng)):
                        case = _take(rng, case, state, day)
                assert case.state == target, (case.state, target)
            made += 1
    actions.minor_followups_remind(on=today)
    return made
