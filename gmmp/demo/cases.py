"""Synthetic readmission cases spread over the last 12 months, walked through the real actions with the
clock set to each step's moment, so that the ledger, the deadlines and the indicators are all real.
Every person is fictitious (removal orders are numbered DEMO-…)."""

import datetime as dt
import io
import random

from django.db import transaction

from gmmp.cases import actions, age, legal
from gmmp.cases.actions import TransitionRefused
from gmmp.cases.enums import (
    Decision,
    DepartureFailure,
    DepartureOutcome,
    InterviewMode,
    LegalEventKind,
    LegalOutcome,
    ReleaseCause,
    WithdrawalReason,
)
from gmmp.cases.models import Case
from gmmp.cases.workflow import DETENTION_RELEVANT
from gmmp.core import clock
from gmmp.core.models import PolicyKeys, policy_value
from gmmp.organisations.models import Organisation, User

MALE = [
    "Mohamed",
    "Youssef",
    "Ahmed",
    "Hamza",
    "Omar",
    "Karim",
    "Anas",
    "Mehdi",
    "Ayoub",
    "Said",
    "Rachid",
    "Abdelkader",
    "Mustapha",
    "Hicham",
    "Khalid",
    "Nabil",
    "Ilyas",
    "Soufiane",
    "Zakaria",
    "Driss",
]
FEMALE = [
    "Fatima",
    "Khadija",
    "Amina",
    "Salma",
    "Nadia",
    "Samira",
    "Hanane",
    "Imane",
    "Zineb",
    "Meryem",
    "Latifa",
]
FAMILY = [
    "El Idrissi",
    "Alaoui",
    "Bennani",
    "Tazi",
    "Berrada",
    "Chraibi",
    "Fassi",
    "Benjelloun",
    "El Amrani",
    "Ouazzani",
    "Ait Taleb",
    "Boukhari",
    "Lahlou",
    "Naciri",
    "Sbai",
    "Zerhouni",
    "Haddad",
    "Belkadi",
    "El Khattabi",
    "Moussaoui",
    "Ziani",
    "Bouzid",
    "Amrani",
    "Rifi",
    "Skalli",
]
PLACES = [
    "Casablanca",
    "Rabat",
    "Fès",
    "Marrakech",
    "Tanger",
    "Oujda",
    "Agadir",
    "Meknès",
    "Nador",
    "Tétouan",
    "Béni Mellal",
    "Khouribga",
    "Errachidia",
    "Kénitra",
    "El Jadida",
    "Safi",
    "Taza",
    "Al Hoceïma",
]
# Préfectures that file most, with weights; and the CRA nearest to each.
FILERS = [
    ("PREF-75", 14, "CRA-VINCENNES"),
    ("PREF-93", 10, "CRA-MESNIL"),
    ("PREF-92", 8, "CRA-VINCENNES"),
    ("PREF-78", 7, "CRA-PLAISIR"),
    ("PREF-94", 6, "CRA-VINCENNES"),
    ("PREF-59", 7, "CRA-LESQUIN"),
    ("PREF-69", 8, "CRA-LYON"),
    ("PREF-13", 9, "CRA-MARSEILLE"),
    ("PREF-34", 5, "CRA-SETE"),
    ("PREF-31", 5, "CRA-TOULOUSE"),
    ("PREF-33", 4, "CRA-BORDEAUX"),
    ("PREF-67", 5, "CRA-GEISPOLSHEIM"),
    ("PREF-35", 3, "CRA-RENNES"),
    ("PREF-76", 4, "CRA-OISSEL"),
    ("PREF-95", 5, "CRA-MESNIL"),
    # Overseas départements have no consulate in the map: DMSF routes their requests by hand.
    ("PREF-974", 1, "CRA-VINCENNES"),
]


def _worker(org: Organisation, role: str = "agent") -> User:
    user, created = User.objects.get_or_create(
        username=f"demo.{org.code.lower()}.{role}",
        defaults={"organisation": org, "role": role, "first_name": "Agent", "last_name": f"Demo {org.code}"},
    )
    if created:
        user.set_unusable_password()  # background actors of the demo; people log in with the documented users
        user.save()
    return user


def _identity_from_register(rng: random.Random, person: dict) -> dict:
    """A request for someone who is in the register, as a préfecture would write it (partial date...)."""
    birth = person.get("birth_date", "")
    if birth and rng.random() < 0.35:
        birth = birth[:4]
    return {
        "last_name": person["last_name"],
        "first_names": person["first_name"],
        "sex": person.get("sex") or "X",
        "birth_date": birth,
        "birth_place": person.get("birth_place", "") if rng.random() < 0.7 else "",
        "father_first_name": person.get("father_first_name", ""),
        "mother_first_name": person.get("mother_first_name", ""),
        "mother_last_name": person.get("mother_last_name", "") if rng.random() < 0.8 else "",
        "nationality_claimed": rng.choice(["marocaine", "non déclarée", ""]),
        "languages": rng.choice(["arabe (darija)", "arabe, français", "tamazight, arabe"]),
        "aliases": [],
    }


def _identity(rng: random.Random, register_people: list[dict] | None = None) -> dict:
    if register_people and rng.random() < 0.7:
        return _identity_from_register(rng, rng.choice(register_people))
    sex = rng.choice("MMMMMMMF")
    first = rng.choice(MALE if sex == "M" else FEMALE)
    year = rng.randint(1975, 2006)
    precision = rng.random()
    birth = (
        str(year)
        if precision < 0.35
        else (
            f"{year}-01-01"
            if precision < 0.45
            else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    )
    return {
        "last_name": rng.choice(FAMILY),
        "first_names": first,
        "sex": sex,
        "birth_date": birth,
        "birth_place": rng.choice(PLACES),
        "father_first_name": rng.choice(MALE),
        "mother_first_name": rng.choice(FEMALE),
        "mother_last_name": rng.choice(FAMILY),
        "nationality_claimed": rng.choice(["marocaine", "marocaine", "algérienne", "non déclarée", ""]),
        "languages": rng.choice(["arabe (darija)", "arabe, français", "tamazight, arabe", "arabe, espagnol"]),
        "aliases": [f"{rng.choice(MALE if sex == 'M' else FEMALE)} {rng.choice(FAMILY)}"]
        if rng.random() < 0.3
        else [],
    }


def _adult_identity(rng: random.Random, register_people, on: dt.date) -> dict:
    """An identity of someone certainly of age on `on` (placement or filing) and not already filed: a
    possible minor belongs to the protected track, never to this one (cases.legal)."""
    majority = policy_value(PolicyKeys.MAJORITY_AGE, on)
    while True:
        data = _identity(rng, register_people)
        if age.possibly_minor(data["birth_date"], on, majority):
            continue
        if data["birth_date"] and legal.duplicates_of({**data, "removal_order_reference": ""}).exists():
            continue
        return data


def _demo_photo(rng: random.Random) -> bytes:
    """A drawn silhouette in one of a few tones (fictitious data: no real person's photo)."""
    from PIL import Image, ImageDraw

    skin = rng.choice([(150, 120, 100), (190, 150, 120), (120, 90, 70), (170, 135, 105)])
    image = Image.new("RGB", (120, 150), (222, 222, 216))
    draw = ImageDraw.Draw(image)
    draw.ellipse((34, 22, 86, 90), fill=skin)
    draw.rectangle((22, 96, 98, 150), fill=rng.choice([(40, 50, 70), (70, 60, 50), (30, 30, 30)]))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=dt.UTC)


def demo_cases_create(
    *,
    count: int = 500,
    seed: int = 2026,
    today: dt.date | None = None,
    border_user=None,
    register_people: list[dict] | None = None,
) -> int:
    """`register_people`: people of the demo register; most demo requests are about one of them."""
    rng = random.Random(seed)
    today = today or clock.today()
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(code__in=[f[0] for f in FILERS] + [f[2] for f in FILERS])
    }
    border_user = border_user or _worker(Organisation.objects.get(code="DGSN-CASA"), "border_officer")
    dmsf = _worker(Organisation.objects.get(code="DMSF"), "central")
    weights = [f[1] for f in FILERS]
    made = 0
    for n in range(count):
        code, _w, cra = rng.choices(FILERS, weights=weights)[0]
        filed = today - dt.timedelta(days=rng.randint(0, 364))
        if n >= count - 2:
            # The last two come from an overseas département, filed these days: no consulate is in the
            # map for it, so they wait for DMSF to route them ("submitted").
            code, cra, filed = "PREF-974", "CRA-VINCENNES", today - dt.timedelta(days=n % 3)
        prefecture_user = _worker(orgs[code])
        detained = rng.random() < 0.8
        start = filed - dt.timedelta(days=rng.randint(0, 3)) if detained else None
        data = _adult_identity(rng, register_people, start or filed)
        data.update(
            removal_order_reference=f"DEMO-OQTF-{filed:%Y}-{n + 1:05d}",
            removal_order_date=(start or filed) - dt.timedelta(days=rng.randint(1, 60)),
            detention_start=start,
            detention_place=orgs[cra] if detained else None,
        )
        with transaction.atomic():
            case = _walk(rng, filed, today, prefecture_user, dmsf, border_user, data)
            _release_when_detention_ended(rng, case, today, prefecture_user)
        made += 1
    return made


NOW = object()  # marks "the moment of the step" for an argument (the actual time of a departure)
TODAY = object()  # marks "the day of the step" (the date of a legal event recorded on the day it happens)


def _withdraw_soon(rng, step, user, reason: str) -> bool:
    """The préfecture withdraws the request a few days later."""
    return step(rng.uniform(1, 5), actions.case_withdraw, _user=user, reason=reason)


def _legal_story(rng, step, case: Case, user) -> bool:
    """After the laissez-passer, what the person's legal situation does to the departure. Most cases: nothing.
    Some lodge an appeal against the removal order (suspensive or not) or claim asylum: while either is
    pending no departure may be booked; the court may annul the order (released for the appeal), asylum may
    be examined with the person released, or both rejected (the departure goes ahead). A judge may also order
    the release. True when a departure may still be booked."""
    ref = f"DEMO-{case.pk}"
    story = rng.random()
    if story < 0.05:
        step(
            rng.uniform(0.5, 4),
            actions.case_release,
            _user=user,
            kind=LegalEventKind.RELEASE_ORDERED,
            on=TODAY,
            reference=f"{ref}-JLD",
        )
        return False
    if story < 0.11:
        lodged = {"kind": LegalEventKind.APPEAL_LODGED, "reference": f"{ref}-TA", "suspensive": True}
        if not step(rng.uniform(0.2, 2), actions.case_record_legal_event, _user=user, on=TODAY, **lodged):
            return False
        fate = rng.random()
        if fate < 0.3:
            return False  # still pending: no departure may be booked
        judged = {"kind": LegalEventKind.APPEAL_DECIDED, "reference": f"{ref}-TA"}
        if fate < 0.5:
            annulled = {**judged, "outcome": LegalOutcome.ORDER_ANNULLED}
            if step(rng.uniform(3, 15), actions.case_record_legal_event, _user=user, on=TODAY, **annulled):
                released = {
                    "kind": LegalEventKind.RELEASED,
                    "cause": ReleaseCause.APPEAL,
                    "reference": f"{ref}-TA",
                }
                if step(0.1, actions.case_release, _user=user, on=TODAY, **released):
                    _withdraw_soon(rng, step, user, WithdrawalReason.ORDER_ANNULLED)
            return False
        rejected = {**judged, "outcome": LegalOutcome.REJECTED}
        return step(rng.uniform(3, 15), actions.case_record_legal_event, _user=user, on=TODAY, **rejected)
    if story < 0.14:
        lodged = {"kind": LegalEventKind.APPEAL_LODGED, "reference": f"{ref}-TA", "suspensive": False}
        step(rng.uniform(0.2, 2), actions.case_record_legal_event, _user=user, on=TODAY, **lodged)
        return True  # not suspensive: the departure may go ahead
    if story < 0.20:
        claim = {"kind": LegalEventKind.ASYLUM_CLAIMED, "reference": f"{ref}-OFPRA"}
        if not step(rng.uniform(0.2, 3), actions.case_record_legal_event, _user=user, on=TODAY, **claim):
            return False
        fate = rng.random()
        if fate < 0.3:
            return False  # the claim is being examined: no departure
        if fate < 0.55:
            released = {
                "kind": LegalEventKind.RELEASED,
                "cause": ReleaseCause.ASYLUM,
                "reference": f"{ref}-OFPRA",
            }
            step(rng.uniform(1, 6), actions.case_release, _user=user, on=TODAY, **released)
            return False
        decided = {
            "kind": LegalEventKind.ASYLUM_DECIDED,
            "reference": f"{ref}-OFPRA",
            "outcome": LegalOutcome.REJECTED,
        }
        return step(rng.uniform(4, 12), actions.case_record_legal_event, _user=user, on=TODAY, **decided)
    return True


def _judges_decide(rng, case: Case, today: dt.date, prefecture_user) -> None:
    """The judge's decisions on the detention, each on its day: most extend to 30 days, some further to 60
    and 90; a few refuse (the person is released on that day). Recorded at filing time on their own dates,
    so that the release date of the case is the end of the period actually authorised."""
    start = case.detention_start
    if not start:
        return
    plan = [(3, 30, 0.9), (29, 60, 0.6), (59, 75, 0.5), (74, 90, 0.6)]
    for decided_day, to_days, chance in plan:
        on = start + dt.timedelta(days=decided_day)
        if on > today or on < case.created_at.date():
            if on > today:
                return
            continue
        with clock.frozen(_at(on, rng)):
            try:
                if rng.random() < chance:
                    actions.case_record_legal_event(
                        case=case,
                        user=prefecture_user,
                        kind="extension_granted",
                        on=on,
                        reference=f"DEMO-JLD-{case.pk}-{to_days}",
                        extended_to=start + dt.timedelta(days=to_days),
                    )
                else:
                    return  # no extension: the period ends (released at its end, see below)
            except TransitionRefused:
                return
        case.refresh_from_db()


def _release_when_detention_ended(rng, case: Case, today: dt.date, prefecture_user) -> None:
    """A request still waiting when the authorised detention ended: the release is recorded (the period
    ended without extension or the cap was reached), then most such requests are withdrawn. Requests
    without detention that waited more than four months are withdrawn (order annulled)."""
    if case.state not in DETENTION_RELEVANT:
        return
    if case.detention_end:
        if case.detention_end >= today:
            return
        with clock.frozen(_at(case.detention_end, rng)):
            try:
                actions.case_release(
                    case=case,
                    user=prefecture_user,
                    on=case.detention_end,
                    reference=f"DEMO-FIN-{case.pk}",
                    cause="cap_reached",
                )
            except TransitionRefused:
                return
        case.refresh_from_db()
        if rng.random() < 0.3:
            return  # released, the request kept open in case the person is found again
        when, reason = case.detention_end + dt.timedelta(days=rng.randint(1, 10)), WithdrawalReason.RELEASED
        if when > today:
            return
    else:
        filed = case.created_at.date()
        if (today - filed).days < 120:
            return
        when, reason = filed + dt.timedelta(days=rng.randint(60, 120)), WithdrawalReason.ORDER_ANNULLED
    with clock.frozen(_at(when, rng)):
        try:
            actions.case_withdraw(
                case=case,
                user=prefecture_user,
                reason=reason,
                comment="Libération à l'échéance de la rétention (données fictives).",
            )
        except TransitionRefused:
            pass


def _walk(rng, filed, today, prefecture_user, dmsf, border_user, data) -> Case:
    moment = _at(filed, rng)
    with clock.frozen(moment):
        case = actions.case_create(user=prefecture_user, data=data)
    if rng.random() < 0.03:
        return case  # stays a draft
    _judges_decide(rng, case, today, prefecture_user)

    def step(days_later: float, fn, **kwargs) -> bool:
        nonlocal moment
        moment = moment + dt.timedelta(days=days_later, minutes=rng.randint(5, 300))
        if moment.date() > today:
            return False
        with clock.frozen(moment):
            # The outcome is recorded at its actual time; a legal event on the day it happens.
            kwargs = {
                k: moment if v is NOW else moment.date() if v is TODAY else v for k, v in kwargs.items()
            }
            try:
                fn(case=case, user=kwargs.pop("_user"), **kwargs)
            except TransitionRefused:
                return False
        case.refresh_from_db()
        return True

    if not step(0, actions.case_submit, _user=prefecture_user):
        return case
    if case.state == "submitted":
        from gmmp.organisations.selectors import consulates

        if (today - filed).days < 7:
            return case  # still waiting to be routed
        step(rng.uniform(0.5, 3), actions.case_route, _user=dmsf, consulate=rng.choice(list(consulates())))
        if case.state != "routed":
            return case
    assert case.consulate is not None  # routed: the case has a consulate (CheckConstraint)
    consul = _worker(case.consulate)
    if rng.random() < 0.04:
        step(
            rng.uniform(1, 5),
            actions.case_withdraw,
            _user=prefecture_user,
            reason=rng.choice(
                [WithdrawalReason.RELEASED, WithdrawalReason.ASYLUM_CLAIM, WithdrawalReason.SUSPENSIVE_APPEAL]
            ),
        )
        return case
    if rng.random() < 0.25:
        if not step(
            rng.uniform(1, 10),
            actions.case_request_information,
            _user=consul,
            question="Merci de transmettre une copie de tout document d'identité (données fictives).",
        ):
            return case
        if not step(
            rng.uniform(1, 6),
            actions.case_answer_information,
            _user=prefecture_user,
            answer="Copie d'une carte consulaire périmée jointe (données fictives).",
        ):
            return case
    if rng.random() < 0.12:
        return case  # the consulate never answered: "no reply" in the indicators
    if rng.random() < 0.45:
        when = moment + dt.timedelta(days=rng.uniform(2, 12))
        if not step(
            rng.uniform(0.5, 4),
            actions.case_schedule_interview,
            _user=consul,
            at=when,
            mode=rng.choice(list(InterviewMode)),
        ):
            return case
    # Reply delays got shorter over the year (the joint mission's effect, for plausibility).
    age = (today - filed).days
    delay = rng.lognormvariate(2.6 if age > 180 else 2.0, 0.6)
    outcome = rng.random()
    decision = (
        Decision.IDENTIFIED
        if outcome < 0.62
        else (Decision.NOT_NATIONAL if outcome < 0.72 else Decision.NOT_ESTABLISHED)
    )
    if rng.random() < 0.08:
        step(
            delay,
            actions.case_withdraw,
            _user=prefecture_user,
            reason=rng.choice([WithdrawalReason.RELEASED, WithdrawalReason.ORDER_ANNULLED]),
        )
        return case
    if not step(
        delay,
        actions.case_decide,
        _user=consul,
        decision=decision,
        comment="Décision de démonstration (données fictives).",
    ):
        return case
    if decision != Decision.IDENTIFIED:
        if rng.random() < 0.5:
            step(rng.uniform(1, 10), actions.case_close, _user=prefecture_user)
        return case
    if rng.random() < 0.1:
        return case  # identified, but no laissez-passer yet
    if not step(rng.uniform(0.2, 6), actions.case_issue_laissez_passer, _user=consul, photo=_demo_photo(rng)):
        return case
    if rng.random() < 0.03:
        return case  # nothing booked yet
    if not _legal_story(rng, step, case, prefecture_user):
        return case
    for _attempt in range(2):
        departure = (moment + dt.timedelta(days=rng.randint(2, 12))).date()
        if not step(
            rng.uniform(0.5, 2),
            actions.case_schedule_departure,
            _user=prefecture_user,
            departure_date=departure,
            carrier=rng.choice(["Royal Air Maroc", "Air Arabia Maroc", "Transavia", "Balearia"]),
            transport_number=f"AT{rng.randint(100, 999)}",
            departure_port=rng.choice(["Paris-Orly", "Paris-CDG", "Lyon", "Marseille", "Sète"]),
            arrival_port=rng.choice(["Casablanca Mohammed V", "Tanger Med", "Oujda Angads", "Nador"]),
            escort=rng.random() < 0.6,
        ):
            return case
        days_to_departure = max(
            0.0, (dt.datetime.combine(departure, dt.time(9), tzinfo=dt.UTC) - moment).total_seconds() / 86400
        )
        if rng.random() < 0.78:
            if not step(
                days_to_departure,
                actions.case_record_departure,
                _user=prefecture_user,
                outcome=DepartureOutcome.DEPARTED,
                departed_at=NOW,
            ):
                return case
            if step(
                0.2,
                actions.case_confirm_readmission,
                _user=border_user,
                comment="Arrivée constatée (démonstration).",
            ):
                if rng.random() < 0.3:
                    step(rng.uniform(1, 20), actions.case_close, _user=prefecture_user)
            return case
        if not step(
            days_to_departure,
            actions.case_record_departure,
            _user=prefecture_user,
            outcome=DepartureOutcome.FAILED,
            departed_at=NOW,
            failure_reason=rng.choice(list(DepartureFailure)),
        ):
            return case
        if rng.random() < 0.4:
            _withdraw_soon(rng, step, prefecture_user, WithdrawalReason.RELEASED)
            return case
    return case
