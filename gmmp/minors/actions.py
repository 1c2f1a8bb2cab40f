"""Every change to a child's case: one action per step, called keyword-only with the acting user.

Each step is declared on the track's workflow (`MINORS_WORKFLOW.action(name)`) by its own rule: the
function below checks the step's input and returns the `Step`; the platform's runner (`core.workflow`)
then runs it in a transaction: it locks the case row (a second officer acting at the same moment waits,
then sees the first one's state), checks the state and the named actor with a readable reason, writes
the change and its ledger event together, and defers effects to the commit. Input is validated before
(forms, API schemas); these rules enforce the track's invariants.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.cases.actions import BIRTH_FIELDS, PARENT_FIELDS
from gmmp.cases.evidence import evidence_write
from gmmp.core import clock
from gmmp.core.errors import Refused
from gmmp.core.workflow import Step
from gmmp.organisations.enums import OrganisationKind as K
from gmmp.organisations.enums import Role
from gmmp.organisations.models import Organisation, User
from gmmp.organisations.selectors import consulate_competent_for

from .enums import (
    AgeConclusion,
    ChildSex,
    DesignationReason,
    FamilyOutcome,
    JudicialOutcome,
    MinorState,
    Recommendation,
    ScreeningResult,
    TraffickingIndicator,
)
from .models import MinorCase, MinorDocument, MinorEvent
from .perms import DESIGNATION_SLOTS, designation_slots_for, may_refer
from .workflow import MINORS_WORKFLOW

FOLLOWUP_MONTHS = {"3m": 3, "12m": 12}


# Every refusal of the track is the platform's one refusal type.
MinorRefused = Refused


# What the referral fills in (the web form and the API schema); everything else belongs to the steps.
REFERRAL_FIELDS = (
    "last_name",
    "first_names",
    *BIRTH_FIELDS,
    *PARENT_FIELDS,
    "languages",
    "placement",
    "circumstances",
)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _require(value, message: str):
    if value is None or (hasattr(value, "__len__") and not len(value)):
        raise MinorRefused(message, code="missing")


def _designated(org: Organisation | None, role: str) -> User | None:
    """The officer an organisation has designated for children's cases: its active member with the role
    (the first one created when there are several)."""
    if org is None:
        return None
    return User.objects.filter(organisation=org, role=role, is_active=True).order_by("pk").first()


def _one(kind: str, departement_id: int | None = None) -> Organisation | None:
    qs = Organisation.objects.filter(kind=kind, is_active=True)
    if departement_id is not None:
        qs = qs.filter(departement_id=departement_id)
    return qs.order_by("pk").first()


@transaction.atomic
def minor_refer(*, user, data: dict) -> MinorCase:
    """A child referred by the département's child welfare (ASE) or by the juge des enfants. The people
    who will see the child's data are named here, from the organisations competent for the département."""
    ok, why = may_refer(user)
    if not ok:
        raise MinorRefused(why, code="forbidden")
    unknown = sorted(set(data) - set(REFERRAL_FIELDS))
    if unknown:
        raise MinorRefused(
            _("Ces champs ne font pas partie du signalement : %(fields)s.") % {"fields": ", ".join(unknown)},
            code="invalid_field",
        )
    org = user.organisation
    reason = "court" if org.kind == K.JUVENILE_COURT else "child_welfare"
    return _open(user=user, departement_id=org.departement_id, data=data, reason=reason)


@transaction.atomic
def minor_refer_from_adult_case(*, case, user, birth_date: str = "", basis: str = "", reference: str = ""):
    """A person of the adult track whose age was established as a minor's (`cases.case_assess_age`): the
    protected track takes the child over, named officers of the préfecture's département included, from
    the identity filed (the birth date the basis established, when given). The adult request is withdrawn by
    the caller in the same transaction; the préfecture that filed it does not see the child's case."""
    data = {field: getattr(case, field) for field in REFERRAL_FIELDS if hasattr(case, field)}
    data["sex"] = case.sex if case.sex in ChildSex.values else ChildSex.UNKNOWN
    if birth_date:
        data["birth_date"] = birth_date
    data["circumstances"] = _(
        "Orienté depuis la demande d'identification %(case)s : âge de mineur établi (%(basis)s, %(reference)s)."
    ) % {"case": case.reference, "basis": basis, "reference": reference}
    return _open(user=user, departement_id=case.prefecture.departement_id, data=data, reason="adult_track")


def _open(*, user, departement_id, data: dict, reason: str) -> MinorCase:
    """Open a child's case with the officers competent for the département named on it (the referring
    ASE officer or judge when they refer it themselves)."""
    _require(data.get("last_name"), _("Le nom de l'enfant est obligatoire."))
    _require(data.get("first_names"), _("Le prénom de l'enfant est obligatoire."))
    org = user.organisation
    if org.kind == K.CHILD_WELFARE:
        ase, ase_officer = org, user
    else:
        ase = _one(K.CHILD_WELFARE, departement_id)
        ase_officer = _designated(ase, Role.ASE_OFFICER)
    if org.kind == K.JUVENILE_COURT:
        court, judge = org, user
    else:
        court = _one(K.JUVENILE_COURT, departement_id)
        judge = _designated(court, Role.JUVENILE_JUDGE)
    consulate = consulate_competent_for(departement_id=departement_id, on=clock.today())
    consulate_officer = _designated(consulate, Role.CHILD_PROTECTION_OFFICER)
    child_services = _one(K.CHILD_PROTECTION)
    child_services_officer = _designated(child_services, Role.CHILD_PROTECTION_OFFICER)
    justice = next((o for o in Organisation.objects.filter(kind=K.JUSTICE, side="MA", is_active=True)), None)
    missing = [
        label
        for label, who in (
            (_("le juge des enfants du département"), judge),
            (_("l'agent de l'aide sociale à l'enfance du département"), ase_officer),
            (_("le référent protection de l'enfance du consulat compétent"), consulate_officer),
            (_("l'agent des services marocains de protection de l'enfance"), child_services_officer),
        )
        if who is None
    ]
    if missing:
        raise MinorRefused(
            _("Signalement impossible : personne n'est désigné pour %(who)s.") % {"who": ", ".join(missing)},
            code="no_officer",
        )
    now = clock.now()
    case = MinorCase(
        reference=uuid.uuid4().hex[:20],
        state=MinorState.REFERRED,
        created_at=now,
        referred_by=user,
        departement_id=departement_id,
        ase=ase,
        ase_officer=ase_officer,
        court=court,
        judge=judge,
        consulate=consulate,
        consulate_officer=consulate_officer,
        child_services=child_services,
        child_services_officer=child_services_officer,
        justice=justice,
        justice_contact=_designated(justice, Role.JUSTICE_CONTACT),
        **data,
    )
    case.full_clean(
        exclude=["reference", "referred_by", "created_at"] + [f for f in REFERRAL_FIELDS if f not in data]
    )
    case.save()
    case.reference = f"MNA-{now:%Y}-{case.pk:05d}"
    case.save(update_fields=["reference"])
    MINORS_WORKFLOW.record(subject=case, user=user, kind="referred", to_state=case.state, reason=reason)
    return case


@MINORS_WORKFLOW.action("identify")
def minor_identify(case, *, identified: bool, register_national_id: str = "", note: str = "") -> Step:
    """The consulate's identification: searched in the register by the child's and the parents' names."""
    if identified:
        _require(register_national_id, _("Indiquez l'identifiant au registre de l'enfant identifié."))
    return Step(
        MinorState.IDENTIFIED if identified else MinorState.NOT_IDENTIFIED,
        reason="identified" if identified else "not_identified",
        update={
            "register_national_id": register_national_id if identified else "",
            "identification_note": note,
        },
    )


@MINORS_WORKFLOW.action("trace_family")
def minor_trace_family(
    case, *, outcome: str, contacts: str, father_register_id: str = "", mother_register_id: str = ""
) -> Step:
    _require(contacts, _("Décrivez les contacts pris avec la famille ou les autorités locales."))
    FamilyOutcome(outcome)
    return Step(
        MinorState.FAMILY_TRACED,
        reason=outcome,
        details={"parents_in_register": sum(1 for x in (father_register_id, mother_register_id) if x)},
        update={
            "family_outcome": outcome,
            "family_contacts": contacts,
            "father_register_id": father_register_id,
            "mother_register_id": mother_register_id,
        },
    )


@MINORS_WORKFLOW.action("assess_age")
def minor_assess_age(
    case, *, basis: str, conclusion: str, assessment: str, age_declared=None, documents: str = ""
) -> Step:
    _require(basis, _("Indiquez le fondement de l'évaluation de l'âge."))
    _require(assessment, _("Décrivez l'évaluation de l'âge."))
    AgeConclusion(conclusion)
    adult = conclusion == AgeConclusion.ADULT
    return Step(
        MinorState.FOUND_ADULT if adult else MinorState.AGE_ASSESSED,
        reason=conclusion,
        details={"basis": basis},
        update={
            "age_declared": age_declared,
            "age_documents": documents,
            "age_assessment": assessment,
            "age_basis": basis,
            "age_conclusion": conclusion,
        },
    )


@MINORS_WORKFLOW.action("screen")
def minor_screen(
    case,
    *,
    result: str,
    vulnerabilities=(),
    trafficking_indicators=(),
    referral_service: str = "",
    referral_date: dt.date | None = None,
    notes: str = "",
) -> Step:
    """Structured vulnerability and trafficking screening; a positive result names the service it was
    referred to. A negative result is recorded on the ledger like a positive one."""
    ScreeningResult(result)
    for code in trafficking_indicators:
        TraffickingIndicator(code)
    if trafficking_indicators and result != ScreeningResult.POSITIVE:
        raise MinorRefused(
            _("Des indices de traite sont relevés : le repérage est positif et l'enfant doit être orienté."),
            code="screening_inconsistent",
        )
    positive = result == ScreeningResult.POSITIVE
    if positive:
        _require(referral_service, _("Un repérage positif indique le service compétent saisi."))
        _require(referral_date, _("Un repérage positif indique la date de saisine du service compétent."))
    return Step(
        MinorState.SCREENED,
        reason=result,
        details={
            "vulnerabilities": sorted(vulnerabilities),
            "trafficking_indicators": sorted(trafficking_indicators),
        },
        update={
            "screening_result": result,
            "vulnerabilities": sorted(vulnerabilities),
            "trafficking_indicators": sorted(trafficking_indicators),
            "screening_referral_service": referral_service if positive else "",
            "screening_referral_date": referral_date if positive else None,
            "screening_notes": notes,
        },
    )


@MINORS_WORKFLOW.action("assess_best_interests")
def minor_assess_best_interests(
    case, *, child_view: str, child_view_language: str, recommendation: str, reasons: str
) -> Step:
    """The best-interests assessment records the child's own view, in the child's words and language."""
    _require(child_view, _("L'avis de l'enfant, dans ses propres mots, est obligatoire."))
    _require(child_view_language, _("Indiquez la langue dans laquelle l'enfant s'est exprimé."))
    _require(reasons, _("Motivez l'évaluation."))
    Recommendation(recommendation)
    return Step(
        MinorState.ASSESSED,
        reason=recommendation,
        update={
            "child_view": child_view,
            "child_view_language": child_view_language,
            "recommendation": recommendation,
            "assessment_reasons": reasons,
        },
    )


DECISION_STATES = {
    JudicialOutcome.RETURN: MinorState.RETURN_ORDERED,
    JudicialOutcome.STAY: MinorState.STAY_ORDERED,
    JudicialOutcome.INQUIRY: MinorState.INQUIRY,
}


@MINORS_WORKFLOW.action("decide")
def _judge_decides(
    case, *, outcome: str, decision_date: dt.date, decision_reference: str, document_data: bytes
) -> Step:
    JudicialOutcome(outcome)
    _require(decision_reference, _("Indiquez la référence de la décision."))
    _require(document_data, _("Joignez la décision du juge."))
    _require(decision_date, _("Indiquez la date de la décision."))
    if decision_date > clock.today():
        raise MinorRefused(_("La date de la décision ne peut pas être dans le futur."), code="invalid_date")
    return Step(
        DECISION_STATES[JudicialOutcome(outcome)],
        reason=outcome,
        update={
            "judicial_outcome": outcome,
            "decision_date": decision_date,
            "decision_reference": decision_reference,
        },
    )


@transaction.atomic
def minor_decide(*, case, user, document_name: str, document_content_type: str, **decision) -> MinorCase:
    """The juge des enfants' decision (`_judge_decides`: outcome, decision_date, decision_reference,
    document_data), with the decision itself attached (stored encrypted)."""
    case = _judge_decides(case=case, user=user, **decision)
    document_data = decision["document_data"]
    document = MinorDocument(
        case=case,
        original_name=document_name[:200],
        content_type=document_content_type,
        size=len(document_data),
        sha256="",
        storage_name=uuid.uuid4().hex,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    # Written before the commit: a rolled-back decision leaves an unreferenced encrypted file, which the
    # retention sweep removes; a committed decision never lacks its file.
    document.sha256 = evidence_write(document.storage_name, document_data)
    document.save()
    return case


@MINORS_WORKFLOW.action("confirm_reception")
def minor_confirm_reception(
    case, *, receiving_kind: str, receiving_name: str, receiving_person: str, receiving_relation: str
) -> Step:
    """The Moroccan side confirms who will receive the child: no travel is prepared before this."""
    _require(receiving_kind, _("Indiquez si l'enfant est accueilli par sa famille ou par un établissement."))
    _require(receiving_name, _("Indiquez la famille ou l'établissement qui accueille l'enfant."))
    _require(receiving_person, _("Indiquez la personne qui accueillera l'enfant."))
    return Step(
        MinorState.RECEPTION_CONFIRMED,
        reason=receiving_kind,
        update={
            "receiving_kind": receiving_kind,
            "receiving_name": receiving_name,
            "receiving_person": receiving_person,
            "receiving_relation": receiving_relation,
            "reception_confirmed_at": clock.now(),
        },
    )


@MINORS_WORKFLOW.action("issue_travel_document")
def minor_issue_travel_document(case, *, number: str, travel_date: dt.date, escort: str) -> Step:
    _require(number, _("Indiquez le numéro du document de voyage."))
    _require(travel_date, _("Indiquez la date du voyage."))
    _require(escort, _("Un enfant voyage toujours accompagné : indiquez l'escorte."))
    return Step(
        MinorState.TRAVEL_READY,
        update={"travel_document_number": number, "travel_date": travel_date, "escort": escort},
    )


@MINORS_WORKFLOW.action("confirm_handover")
def minor_confirm_handover(case, *, handover_date: dt.date, place: str, person: str) -> Step:
    """The Moroccan side confirms the hand-over: date, place, the person who received the child. The
    follow-up reports fall due 3 and 12 months after."""
    _require(handover_date, _("Indiquez la date de la remise."))
    _require(place, _("Indiquez le lieu de la remise."))
    _require(person, _("Indiquez la personne qui a reçu l'enfant."))
    if handover_date > clock.today():
        raise MinorRefused(
            _("Une remise se confirme une fois faite : la date est dans le futur."), code="invalid_date"
        )
    return Step(
        MinorState.HANDED_OVER,
        details={"receiving_kind": case.receiving_kind},
        update={
            "handover_date": handover_date,
            "handover_place": place,
            "handover_person": person,
            "followup_3m_due": add_months(handover_date, FOLLOWUP_MONTHS["3m"]),
            "followup_12m_due": add_months(handover_date, FOLLOWUP_MONTHS["12m"]),
        },
    )


def _followup(case, which: str, received_on: dt.date, content: str) -> Step:
    """A follow-up report after return (3 or 12 months): received on a date, with its content; on time or late
    is recorded on the ledger for the indicators."""
    _require(content, _("Le contenu du rapport de suivi est obligatoire."))
    _require(received_on, _("Indiquez la date de réception du rapport."))
    if received_on > clock.today():
        raise MinorRefused(_("La date de réception ne peut pas être dans le futur."), code="invalid_date")
    due = case.followup_due(which)
    in_time = due is not None and received_on <= due
    return Step(
        MinorState.FOLLOWED_3M if which == "3m" else MinorState.FOLLOWED_12M,
        reason="in_time" if in_time else "late",
        update={f"followup_{which}_received": received_on, f"followup_{which}_content": content},
    )


@MINORS_WORKFLOW.action("record_followup_3m")
def minor_record_followup_3m(case, *, received_on: dt.date, content: str, which: str = "3m") -> Step:
    return _followup(case, "3m", received_on, content)


@MINORS_WORKFLOW.action("record_followup_12m")
def minor_record_followup_12m(case, *, received_on: dt.date, content: str, which: str = "12m") -> Step:
    return _followup(case, "12m", received_on, content)


def minor_record_followup(*, case, user, which: str, received_on: dt.date, content: str) -> MinorCase:
    """The 3-month or the 12-month report (`which`)."""
    if which not in FOLLOWUP_MONTHS:
        raise MinorRefused(_("Suivi inconnu."), code="invalid_field")
    record = minor_record_followup_3m if which == "3m" else minor_record_followup_12m
    return record(case=case, user=user, received_on=received_on, content=content)


@MINORS_WORKFLOW.action("close")
def minor_close(case, *, reason: str) -> Step:
    _require(reason, _("Indiquez le motif de la clôture."))
    return Step(MinorState.CLOSED, reason=reason)


def followups_late(on: dt.date | None = None):
    """Cases whose next follow-up report is overdue on `on` (today by default)."""
    on = on or clock.today()
    return MinorCase.objects.filter(
        state=MinorState.HANDED_OVER, followup_3m_due__lt=on
    ) | MinorCase.objects.filter(state=MinorState.FOLLOWED_3M, followup_12m_due__lt=on)


def minor_followups_remind(*, on: dt.date | None = None) -> int:
    """Record one reminder on the ledger for each overdue follow-up not reminded yet (run daily; idempotent).
    The reminder is shown on the case and in the queue of the named officer of Moroccan child-protection
    services."""
    made = 0
    for case in followups_late(on).order_by("pk"):
        which = "3m" if case.state == MinorState.HANDED_OVER else "12m"
        with transaction.atomic():
            locked = MINORS_WORKFLOW.lock(case)
            if locked.state != case.state:
                continue
            if MinorEvent.objects.filter(case=locked, kind="followup_reminder", reason=which).exists():
                continue
            MINORS_WORKFLOW.record(subject=locked, user=None, kind="followup_reminder", reason=which)
            made += 1
    return made


# One action per step of the workflow (adapters look the step up here, never re-implement it).
STEP_ACTIONS = {
    "identify": minor_identify,
    "trace_family": minor_trace_family,
    "assess_age": minor_assess_age,
    "screen": minor_screen,
    "assess_best_interests": minor_assess_best_interests,
    "decide": minor_decide,
    "confirm_reception": minor_confirm_reception,
    "issue_travel_document": minor_issue_travel_document,
    "confirm_handover": minor_confirm_handover,
    "record_followup_3m": minor_record_followup_3m,
    "record_followup_12m": minor_record_followup_12m,
    "close": minor_close,
}


def designation_candidates(*, case: MinorCase, slot: str):
    """The colleagues who may take `slot` on `case`: active members of the slot's organisation with its role."""
    org_field, role = DESIGNATION_SLOTS[slot]
    return User.objects.filter(
        organisation_id=getattr(case, f"{org_field}_id"), role=role, is_active=True
    ).order_by("last_name", "first_name", "username")


@transaction.atomic
def minor_officer_designate(*, case: MinorCase, user, slot: str, officer: User, reason: str) -> MinorCase:
    """Give a named place on the case (the ASE officer, the judge, the consulate's or Moroccan services'
    officer, the justice contact) to a colleague: the new person reads the case from now on, the previous
    one no longer does. Recorded on the ledger with a reason code; the child's data is not shown to the
    person who designates."""
    locked = MINORS_WORKFLOW.lock(case)
    if slot not in DESIGNATION_SLOTS or slot not in designation_slots_for(user, locked):
        raise MinorRefused(
            _(
                "Seul le superviseur de l'organisation concernée (ou le greffe, pour le juge) désigne l'agent."
            ),
            code="forbidden",
        )
    if reason not in DesignationReason.values:
        raise MinorRefused(_("Indiquez le motif du changement."), code="missing")
    if locked.anonymised_at is not None:
        raise MinorRefused(
            _("Ce dossier est anonymisé : il n'y a plus personne à désigner."), code="invalid_state"
        )
    if not designation_candidates(case=locked, slot=slot).filter(pk=getattr(officer, "pk", None)).exists():
        raise MinorRefused(
            _(
                "Cette personne ne peut pas être désignée : elle doit être active, de la même organisation, avec le rôle attendu."
            ),
            code="invalid",
        )
    previous = getattr(locked, f"{slot}_id")
    if previous == officer.pk:
        raise MinorRefused(_("Cette personne est déjà désignée sur le dossier."), code="invalid")
    setattr(locked, slot, officer)
    locked.save(update_fields=[slot, "updated_at"])
    MINORS_WORKFLOW.note(
        subject=locked,
        user=user,
        kind="officer_designated",
        reason=reason,
        details={"slot": slot, "previous": previous, "officer": officer.pk},
    )
    case.refresh_from_db()
    return case
