"""The Group's real timeline (DOMAIN.md "The GMMP" and the two press reports in shared/seeds), so the
demo starts from history. Idempotent: every row has a stable key and is updated in place.

What the sources say is recorded as such; what they do not say is left empty (no invented dates or
numbers). Where a date is known only to the month or the year, `date_precision` says so. Action items
restate what the meetings decided or asked for; their current status is the demo's starting point.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from gmmp.core import clock
from gmmp.organisations.models import Organisation

from .models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    DatePrecision,
    Meeting,
    MeetingKind,
    Milestone,
    Outcome,
    OutcomeKind,
    Participant,
    Recommendation,
    RecommendationUpdate,
)

SOURCE_ASSEMBLY = "Déclaration conjointe, assemblée des consuls généraux, ambassade du Maroc à Paris, 29 novembre 2024 (presse : MAP, Le360)"
SOURCE_PLENARY_7 = "Communiqué de la 7e réunion plénière du GMMP, Paris, 2025 (presse)"
SOURCE_DOMAIN = "Dossier de référence du projet (DOMAIN.md, « The GMMP »)"

MILESTONES: list[dict[str, Any]] = [
    dict(
        key="gmmp-created",
        date=dt.date(2018, 5, 1),
        date_precision=DatePrecision.MONTH,
        title="Création du Groupe migratoire mixte permanent maroco-français (GMMP)",
        title_ar="إحداث المجموعة المختلطة الدائمة المغربية الفرنسية للهجرة",
        title_en="The Moroccan-French Permanent Joint Migration Group (GMMP) is established",
        source=SOURCE_DOMAIN,
    ),
    dict(
        key="partnership-declaration-2024",
        date=dt.date(2024, 10, 28),
        date_precision=DatePrecision.DAY,
        title="Déclaration sur le partenariat d'exception renforcé, signée par le roi Mohammed VI et le président Emmanuel Macron",
        title_ar="إعلان الشراكة الاستثنائية الوطيدة، الموقع من طرف جلالة الملك محمد السادس والرئيس إيمانويل ماكرون",
        title_en="Declaration on the reinforced exceptional partnership, signed by King Mohammed VI and President Emmanuel Macron",
        source=SOURCE_ASSEMBLY,
    ),
    dict(
        key="joint-mission-2025",
        date=dt.date(2025, 4, 1),
        date_precision=DatePrecision.MONTH,
        title="Lancement de la mission conjointe franco-marocaine sur l'identification et la délivrance des laissez-passer consulaires",
        title_ar="إطلاق البعثة المشتركة المغربية الفرنسية حول تحديد الهوية وتسليم جوازات المرور القنصلية",
        title_en="Launch of the joint French-Moroccan mission on identification and the issuance of consular laissez-passer",
        source=SOURCE_PLENARY_7,
    ),
]

MEETINGS: list[dict[str, Any]] = [
    {
        "key": "plenary-2018-marrakesh",
        "kind": MeetingKind.PLENARY,
        "number": 1,
        "title": "Première réunion du GMMP",
        "title_ar": "الاجتماع الأول للمجموعة المختلطة الدائمة للهجرة",
        "title_en": "First meeting of the GMMP",
        "date": dt.date(2018, 5, 1),
        "date_precision": DatePrecision.MONTH,
        "place": "Marrakech",
        "summary": "Réunion constitutive du Groupe, créé en mai 2018.",
        "source": SOURCE_DOMAIN,
    },
    {
        "key": "gmmp-2024-10-marrakesh",
        "kind": MeetingKind.PLENARY,
        "number": None,
        "title": "Réunion du GMMP à Marrakech",
        "title_ar": "اجتماع المجموعة المختلطة الدائمة للهجرة بمراكش",
        "title_en": "GMMP meeting in Marrakesh",
        "date": dt.date(2024, 10, 1),
        "date_precision": DatePrecision.MONTH,
        "place": "Marrakech",
        "summary": "Réunion du Groupe sur laquelle s'appuie l'assemblée des consuls généraux de novembre 2024.",
        "source": SOURCE_ASSEMBLY,
    },
    {
        "key": "consuls-2024-11-29-paris",
        "kind": MeetingKind.CONSULS_ASSEMBLY,
        "number": None,
        "title": "Assemblée avec les 17 consuls généraux du Maroc en France",
        "title_ar": "اجتماع مع القناصلة العامين السبعة عشر للمغرب بفرنسا",
        "title_en": "Assembly with the 17 consuls general of Morocco in France",
        "date": dt.date(2024, 11, 29),
        "date_precision": DatePrecision.DAY,
        "place": "Ambassade du Royaume du Maroc, Paris",
        "co_chair_ma": "Khalid Zerouali",
        "co_chair_fr": "Simon Fetet",
        "summary": "Séance de deux heures en marge de l'assemblée semestrielle des consuls généraux, à l'invitation "
        "du Maroc. Les deux parties se sont félicitées de l'amélioration des indicateurs de réadmission et "
        "du rôle des gouverneurs et des consuls généraux. Prochaine évaluation de la coopération au "
        "premier trimestre 2025, lors de la prochaine réunion du GMMP en France.",
        "source": SOURCE_ASSEMBLY,
        "participants": [
            (
                "MA",
                "Khalid Zerouali",
                "Directeur de la migration et de la surveillance des frontières, ministère de l'Intérieur ; coprésident du GMMP",
                "DMSF",
                True,
            ),
            (
                "MA",
                "Bouchta Fahli",
                "Directeur des renseignements généraux, Direction générale de la sûreté nationale",
                None,
                False,
            ),
            (
                "MA",
                "Fouad Kadmiri",
                "Directeur des affaires consulaires et sociales, ministère des Affaires étrangères",
                "MAECE",
                False,
            ),
            ("MA", "Samira Sitaïl", "Ambassadrice du Royaume du Maroc en France", None, False),
            (
                "FR",
                "Simon Fetet",
                "Directeur de l'immigration, ministère de l'Intérieur ; coprésident du GMMP",
                "DGEF",
                True,
            ),
            ("FR", "Mathilde Grammont", "Conseillère diplomatique du ministre de l'Intérieur", None, False),
            (
                "FR",
                "Frédéric Rimoux",
                "Ambassadeur délégué aux migrations, ministère de l'Europe et des Affaires étrangères",
                None,
                False,
            ),
            (
                "FR",
                "Delphine Montuelle",
                "Cheffe du département de l'éloignement, direction de l'immigration",
                "DGEF",
                False,
            ),
        ],
        "agenda": [
            (
                "Coopération en matière de réadmission",
                "التعاون في مجال إعادة القبول",
                "Cooperation on readmission",
            ),
            (
                "Lutte contre les départs irréguliers",
                "محاربة الهجرة غير النظامية",
                "Stopping irregular departures",
            ),
            (
                "Traitement des laissez-passer consulaires nécessaires à l'exécution des obligations de quitter le territoire",
                "معالجة جوازات المرور القنصلية اللازمة لتنفيذ قرارات مغادرة التراب الفرنسي",
                "Processing of the consular laissez-passer needed to enforce removal orders",
            ),
            (
                "Mobilité légale, notamment des étudiants",
                "التنقل القانوني، لا سيما الطلبة",
                "Legal mobility, students in particular",
            ),
            (
                "Protection de la communauté marocaine en France",
                "حماية الجالية المغربية بفرنسا",
                "Protection of the Moroccan community in France",
            ),
        ],
        "outcomes": [
            (
                "consuls-2024-11-evaluation",
                OutcomeKind.DECISION,
                "Évaluer la coopération au premier trimestre 2025, lors de la prochaine réunion du GMMP en France.",
                "تقييم التعاون خلال الفصل الأول من سنة 2025، بمناسبة الاجتماع المقبل للمجموعة بفرنسا.",
                "Evaluate the cooperation in the first quarter of 2025, at the next GMMP meeting in France.",
            ),
            (
                "consuls-2024-11-lpc",
                OutcomeKind.RECOMMENDATION,
                "Améliorer le traitement des laissez-passer consulaires, avec un rôle central des consuls généraux.",
                "تحسين معالجة جوازات المرور القنصلية، مع دور محوري للقناصلة العامين.",
                "Improve the processing of consular laissez-passer, with consuls general playing a central role.",
            ),
        ],
        "actions": [
            dict(
                key="evaluation-q1-2025",
                outcome="consuls-2024-11-evaluation",
                owner="GMMP-SEC",
                title="Préparer l'évaluation de la coopération pour la prochaine réunion du GMMP en France",
                title_ar="إعداد تقييم التعاون للاجتماع المقبل للمجموعة بفرنسا",
                title_en="Prepare the evaluation of the cooperation for the next GMMP meeting in France",
                due_date=dt.date(2025, 3, 31),
                indicator_id="lpc_issuance_rate",
                status=ActionStatus.DONE,
                note="Évaluation présentée à la 7e réunion plénière (Paris, 2025).",
            ),
            dict(
                key="lpc-processing-consulates",
                outcome="consuls-2024-11-lpc",
                owner="DMSF",
                title="Accélérer la délivrance des laissez-passer par les consulats généraux",
                title_ar="تسريع تسليم جوازات المرور من طرف القنصليات العامة",
                title_en="Speed up the issuance of laissez-passer by the consulates general",
                due_date=None,
                indicator_id="lpc_in_time",
                status=ActionStatus.IN_PROGRESS,
                note="",
            ),
        ],
    },
    {
        "key": "plenary-7-2025-paris",
        "kind": MeetingKind.PLENARY,
        "number": 7,
        "title": "7e réunion plénière du GMMP",
        "title_ar": "الاجتماع العام السابع للمجموعة المختلطة الدائمة للهجرة",
        "title_en": "7th plenary meeting of the GMMP",
        "date": dt.date(2025, 7, 1),
        "date_precision": DatePrecision.YEAR,
        "date_note": "Jour exact non publié dans les sources disponibles ; placée après le lancement de la mission "
        "conjointe (avril 2025), dont les recommandations y ont été présentées.",
        "place": "Paris",
        "co_chair_ma": "Khalid Zerouali",
        "co_chair_fr": "Frédéric Joram",
        "summary": "Dans la continuité de la déclaration du 28 octobre 2024 : agenda global sur les mobilités légales, "
        "la lutte contre l'immigration irrégulière et la réadmission ; coordination entre pays d'origine, "
        "de transit et de destination ; présentation des recommandations de la mission conjointe sur "
        "l'identification et les laissez-passer ; migration circulaire et droits des travailleurs "
        "saisonniers ; mineurs non accompagnés (déclaration d'intention de 2020) ; défis sécuritaires.",
        "source": SOURCE_PLENARY_7,
        "participants": [
            (
                "MA",
                "Khalid Zerouali",
                "Wali, directeur de la migration et de la surveillance des frontières, ministère de l'Intérieur",
                "DMSF",
                True,
            ),
            ("FR", "Frédéric Joram", "Directeur de l'immigration, ministère de l'Intérieur", "DGEF", True),
        ],
        "agenda": [
            (
                "Mobilités légales et migration circulaire",
                "التنقل القانوني والهجرة الدائرية",
                "Legal mobility and circular migration",
            ),
            (
                "Lutte contre l'immigration irrégulière et réadmission",
                "محاربة الهجرة غير النظامية وإعادة القبول",
                "Fighting irregular migration; readmission",
            ),
            (
                "Recommandations de la mission conjointe sur l'identification et les laissez-passer consulaires",
                "توصيات البعثة المشتركة حول تحديد الهوية وجوازات المرور القنصلية",
                "Recommendations of the joint mission on identification and consular laissez-passer",
            ),
            ("Mineurs non accompagnés", "القاصرون غير المرفوقين", "Unaccompanied minors"),
            (
                "Coordination entre pays d'origine, de transit et de destination",
                "التنسيق بين بلدان المنشأ والعبور والمقصد",
                "Coordination between countries of origin, transit and destination",
            ),
        ],
        "outcomes": [
            (
                "plenary-7-indicators",
                OutcomeKind.DECISION,
                "Adopter des indicateurs harmonisés et une grille de lecture commune, calculés de la même façon pour les deux parties.",
                "اعتماد مؤشرات موحدة وشبكة قراءة مشتركة، تُحتسب بالطريقة نفسها بالنسبة للطرفين.",
                "Adopt harmonised indicators and a common reading grid, computed the same way for both sides.",
            ),
            (
                "plenary-7-mission",
                OutcomeKind.RECOMMENDATION,
                "Mettre en œuvre les recommandations de la mission conjointe pour améliorer l'identification et la délivrance des laissez-passer consulaires.",
                "تنفيذ توصيات البعثة المشتركة لتحسين تحديد الهوية وتسليم جوازات المرور القنصلية.",
                "Implement the joint mission's recommendations to improve identification and the issuance of consular laissez-passer.",
            ),
            (
                "plenary-7-seasonal",
                OutcomeKind.RECOMMENDATION,
                "Structurer une migration circulaire maîtrisée en veillant au respect des droits des travailleurs saisonniers.",
                "تنظيم هجرة دائرية متحكم فيها مع الحرص على احترام حقوق العمال الموسميين.",
                "Structure managed circular migration while ensuring seasonal workers' rights are respected.",
            ),
        ],
        "actions": [
            dict(
                key="common-reading-grid",
                outcome="plenary-7-indicators",
                owner="GMMP-SEC",
                title="Publier la grille de lecture commune et le rapport trimestriel partagé",
                title_ar="نشر شبكة القراءة المشتركة والتقرير الفصلي المشترك",
                title_en="Publish the common reading grid and the shared quarterly report",
                due_date=None,
                indicator_id="lpc_issuance_rate",
                status=ActionStatus.IN_PROGRESS,
                note="",
            ),
            dict(
                key="mission-identification-delay",
                outcome="plenary-7-mission",
                owner="DMSF",
                title="Réduire le délai de réponse aux demandes d'identification",
                title_ar="تقليص مدة الرد على طلبات تحديد الهوية",
                title_en="Reduce the reply delay to identification requests",
                due_date=None,
                indicator_id="reply_delay_median",
                status=ActionStatus.IN_PROGRESS,
                note="",
            ),
            dict(
                key="mission-lpc-in-time",
                outcome="plenary-7-mission",
                owner="MAECE",
                title="Délivrer les laissez-passer avant la fin de la rétention",
                title_ar="تسليم جوازات المرور قبل انتهاء مدة الاحتجاز",
                title_en="Issue laissez-passer before detention ends",
                due_date=None,
                indicator_id="lpc_in_time_rate",
                status=ActionStatus.PLANNED,
                note="",
            ),
            dict(
                key="mission-departures",
                outcome="plenary-7-mission",
                owner="DGEF",
                title="Organiser les départs des personnes identifiées et munies d'un laissez-passer",
                title_ar="تنظيم ترحيل الأشخاص الذين تم تحديد هويتهم والمتوفرين على جواز مرور",
                title_en="Organise the departure of people identified and holding a laissez-passer",
                due_date=None,
                indicator_id="ready_without_departure",
                status=ActionStatus.PLANNED,
                note="",
            ),
        ],
    },
]


def _org(code: str | None):
    return Organisation.objects.filter(code=code).first() if code else None


@transaction.atomic
def governance_seed() -> dict:
    """Load (or bring up to date) the Group's timeline. Safe to call again: nothing is duplicated."""
    for data in MILESTONES:
        Milestone.objects.update_or_create(
            key=data["key"], defaults={k: v for k, v in data.items() if k != "key"}
        )
    counts = {"meetings": 0, "actions": 0}
    for data in MEETINGS:
        data = dict(data)
        participants = data.pop("participants", [])
        agenda = data.pop("agenda", [])
        outcomes = data.pop("outcomes", [])
        actions = data.pop("actions", [])
        meeting, _created = Meeting.objects.update_or_create(key=data.pop("key"), defaults=data)
        counts["meetings"] += 1
        for order, (side, name, function, org, co_chair) in enumerate(participants):
            Participant.objects.update_or_create(
                meeting=meeting,
                name=name,
                defaults={
                    "side": side,
                    "function": function,
                    "organisation": _org(org),
                    "is_co_chair": co_chair,
                    "order": order,
                },
            )
        for order, (fr, ar, en) in enumerate(agenda, start=1):
            AgendaItem.objects.update_or_create(
                meeting=meeting, order=order, defaults={"title": fr, "title_ar": ar, "title_en": en}
            )
        outcome_by_key = {}
        for order, (key, kind, fr, ar, en) in enumerate(outcomes, start=1):
            outcome_by_key[key], _c = Outcome.objects.update_or_create(
                key=key,
                defaults={
                    "meeting": meeting,
                    "kind": kind,
                    "order": order,
                    "text": fr,
                    "text_ar": ar,
                    "text_en": en,
                },
            )
        for spec in actions:
            spec = dict(spec)
            note = spec.pop("note")
            key = spec.pop("key")
            spec["outcome"] = outcome_by_key.get(spec.pop("outcome"))
            spec["owner"] = _org(spec.pop("owner"))
            action, created = ActionItem.objects.get_or_create(key=key, defaults={"meeting": meeting, **spec})
            if created:
                ActionUpdate.objects.create(action=action, at=clock.now(), status=action.status, note=note)
            counts["actions"] += 1
    counts["recommendations"] = _recommendations_seed()
    return counts


# The joint mission on identification and LPC issuance (April 2025), its recommendations itemised so that each
# can be followed against the indicators it should move. The wording is the platform's own summary of the
# recommendation presented at the 7th plenary, not an official text.
MISSION_RECOMMENDATIONS = [
    (
        1,
        "DMSF",
        ["reply_delay_median", "reply_delay_p90"],
        "Répondre à chaque demande d'identification dans un délai de 30 jours au plus.",
        "الرد على كل طلب لتحديد الهوية في أجل أقصاه 30 يوماً.",
        "Reply to every identification request within 30 days at most.",
    ),
    (
        2,
        "DGEF",
        ["replies_positive", "replies_none"],
        "Joindre à chaque demande les éléments utiles à l'identification (documents, empreintes, auditions) pour "
        "réduire les demandes restées sans réponse.",
        "إرفاق كل طلب بالعناصر المفيدة لتحديد الهوية (وثائق، بصمات، استماع) لتقليص الطلبات التي بقيت دون رد.",
        "Attach to every request what helps identification (documents, fingerprints, interviews) to reduce the "
        "requests left without a reply.",
    ),
    (
        3,
        "MAECE",
        ["lpc_in_time_rate"],
        "Traiter en priorité les personnes en rétention pour délivrer le laissez-passer avant la fin de la rétention.",
        "معالجة ملفات الأشخاص المحتجزين بالأولوية لتسليم جواز المرور قبل انتهاء مدة الاحتجاز.",
        "Give priority to people in detention so that the laissez-passer is issued before detention ends.",
    ),
    (
        4,
        "MAECE",
        ["lpc_issuance_rate"],
        "Délivrer le laissez-passer dès l'identification établie lorsque le départ est programmé.",
        "تسليم جواز المرور بمجرد ثبوت الهوية عندما يكون الترحيل مبرمجاً.",
        "Issue the laissez-passer as soon as identity is established when a departure is scheduled.",
    ),
    (
        5,
        "DGEF",
        ["ready_without_departure", "departures_per_lpc"],
        "Organiser le départ des personnes munies d'un laissez-passer avant son expiration.",
        "تنظيم ترحيل الأشخاص المتوفرين على جواز مرور قبل انتهاء صلاحيته.",
        "Organise the departure of people holding a laissez-passer before it expires.",
    ),
]


def _recommendations_seed() -> int:
    mission = Milestone.objects.get(key="joint-mission-2025")
    outcome = Outcome.objects.filter(key="plenary-7-mission").select_related("meeting").first()
    adopted = outcome.meeting.date if outcome else mission.date
    for number, owner, indicators, fr, ar, en in MISSION_RECOMMENDATIONS:
        recommendation, created = Recommendation.objects.get_or_create(
            key=f"mission-2025-{number}",
            defaults={
                "number": number,
                "milestone": mission,
                "outcome": outcome,
                "adopted_on": adopted,
                "text": fr,
                "text_ar": ar,
                "text_en": en,
                "indicator_ids": indicators,
                "owner": _org(owner),
            },
        )
        if created:
            RecommendationUpdate.objects.create(
                recommendation=recommendation, at=clock.now(), status=recommendation.status
            )
    return len(MISSION_RECOMMENDATIONS)
