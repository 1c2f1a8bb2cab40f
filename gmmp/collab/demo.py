"""Demo data for the shared pages: a few questions in threads, this week's interviews, escalations of
stalled requests (one answered). Walked through the real actions, so notifications follow."""

import datetime as dt

from django.db import transaction

from gmmp.cases.models import Case
from gmmp.cases.workflow import AWAITING_CONSULATE
from gmmp.core import clock
from gmmp.organisations.models import User

from . import actions
from .models import CaseMessage

QUESTIONS = [
    ("Pouvez-vous joindre une copie du passeport, même périmé ?", "Copie jointe au dossier ce jour."),
    ("La personne parle-t-elle arabe ou tamazight ? Nous prévoyons un interprète.", ""),
    ("Merci de confirmer la date de fin de rétention retenue par le juge.", ""),
]


def _member(org_id, role="agent"):
    return User.objects.filter(organisation_id=org_id, role=role, is_active=True).order_by("pk").first()


def collab_demo_seed(*, usernames=()) -> None:
    if CaseMessage.objects.exists():
        return
    today = clock.today()
    waiting = list(
        Case.objects.filter(state__in=AWAITING_CONSULATE, consulate__isnull=False)
        .select_related("consulate", "prefecture")
        .order_by("-routed_at")[:40]
    )
    # Questions from each consulate to each préfecture that has cases waiting (the documented users speak).
    pairs_done: set[tuple[int, int | None]] = set()
    for case in waiting:
        pair = (case.prefecture_id, case.consulate_id)
        if pair in pairs_done:
            continue
        consul, prefect = _member(case.consulate_id), _member(case.prefecture_id)
        if consul is None or prefect is None:
            continue
        question, answer = QUESTIONS[len(pairs_done) % len(QUESTIONS)]
        with transaction.atomic():
            actions.message_post(case=case, user=consul, body=question)
        if answer:
            with transaction.atomic():
                actions.message_post(case=case, user=prefect, body=answer)
        pairs_done.add(pair)
    # This week's interviews at the consulates.
    for n, case in enumerate(c for c in waiting if not c.interviews.exists()):
        if n >= 6:
            break
        consul = _member(case.consulate_id)
        starts = dt.datetime.combine(today + dt.timedelta(days=1 + n % 4), dt.time(8 + n, 0), tzinfo=dt.UTC)
        with transaction.atomic():
            slot = actions.Slot(
                starts_at=starts,
                mode="video" if n % 2 else "cra",
                video_link="https://visio.example.invalid/gmmp-demo" if n % 2 else "",
                room="" if n % 2 else "Salle d'audition 1",
                interpreter_language="tamazight" if n % 3 == 0 else "",
            )
            actions.interview_schedule(case=case, user=consul, slot=slot)
    # Escalations of overdue replies: by the préfecture, and one by DGEF answered by DMSF.
    overdue = [
        c
        for c in Case.objects.filter(state__in=AWAITING_CONSULATE, reply_due__lt=today).order_by("reply_due")[
            :4
        ]
    ]
    dgef, dmsf = _member_by_code("DGEF", "central"), _member_by_code("DMSF", "central")
    for n, case in enumerate(overdue):
        raiser = dgef if n == 0 and dgef else _member(case.prefecture_id)
        if raiser is None:
            continue
        with transaction.atomic():
            escalation = actions.escalation_raise(case=case, user=raiser, reason="reply_overdue")
        if n == 0 and dmsf:
            with transaction.atomic():
                actions.escalation_answer(
                    escalation=escalation,
                    user=dmsf,
                    answer="Le consulat a été relancé ; réponse attendue sous 48 heures.",
                )


def _member_by_code(code: str, role: str):
    return User.objects.filter(organisation__code=code, role=role, is_active=True).order_by("pk").first()
