"""The common reading grid: every indicator the GMMP reviews, as data.

Each indicator has an id, a version, a name and a written definition in French, Arabic and English, and
exactly one computation over the case ledger. The texts are content (the agreed wording both
ministries signed up to), not interface strings: they are written here in the three languages.

A change of definition is a NEW VERSION added below the old one, never an edit of a published one:
stored report runs record the versions they used and recompute with them.

General rules, valid for every indicator (stated once in the report annex):
- an event counts in the period where its instant falls (periods are whole days, Paris time);
- a figure is attributed to the consulate and préfecture recorded on the event counted;
- a rate is shown with its numerator and denominator, both counted over the same period.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q

from gmmp.cases.enums import CaseState, DepartureFailure, EventKind, LegalEventKind, ReleaseCause

from .computations import Delay, EventCount, OpenAtEnd, Ratio, StockAtEnd

LANGS = ("fr", "ar", "en")


@dataclass(frozen=True)
class Indicator:
    id: str
    version: int
    theme: str
    unit: str  # count | days | rate
    name: dict
    definition: dict
    computation: EventCount | OpenAtEnd | StockAtEnd | Delay | Ratio | Any  # or a domain's own (domains.py)
    core: bool = True

    @property
    def key(self) -> str:
        return f"{self.id}@v{self.version}"

    def text(self, what: str, lang: str) -> str:
        texts = getattr(self, what)
        return texts.get(lang) or texts["fr"]

    def as_dict(self, lang: str | None = None) -> dict:
        langs = (lang,) if lang else LANGS
        return {
            "id": self.id,
            "version": self.version,
            "theme": self.theme,
            "unit": self.unit,
            "name": {lg: self.text("name", lg) for lg in langs},
            "definition": {lg: self.text("definition", lg) for lg in langs},
        }


THEMES = {
    "identification": {
        "fr": "Demandes et réponses d'identification",
        "ar": "طلبات تحديد الهوية والردود عليها",
        "en": "Identification requests and replies",
    },
    "lpc": {
        "fr": "Laissez-passer consulaires",
        "ar": "جوازات المرور القنصلية",
        "en": "Consular laissez-passer",
    },
    "departures": {
        "fr": "Départs et réadmissions",
        "ar": "عمليات الترحيل وإعادة القبول",
        "en": "Departures and readmissions",
    },
}

GENERAL_RULES = {
    "fr": "Règles communes : un événement compte dans la période où il a lieu (jours entiers, heure de Paris) ; "
    "un chiffre est attribué au consulat et à la préfecture inscrits sur l'événement compté ; un taux est "
    "toujours accompagné de son numérateur et de son dénominateur, comptés sur la même période. Tous les "
    "chiffres sont calculés, pour les deux parties, à partir du même registre des événements des demandes.",
    "ar": "قواعد مشتركة: يُحتسب كل حدث في الفترة التي وقع فيها (أيام كاملة بتوقيت باريس)؛ يُنسب كل رقم إلى القنصلية "
    "والمحافظة المسجلتين في الحدث المحتسب؛ تُعرض كل نسبة مع بسطها ومقامها المحتسبين على الفترة نفسها. تُحتسب "
    "جميع الأرقام، بالنسبة للطرفين، انطلاقاً من السجل نفسه لأحداث الملفات.",
    "en": "Common rules: an event counts in the period in which it happens (whole days, Paris time); a figure is "
    "attributed to the consulate and préfecture recorded on the event counted; a rate is always shown with "
    "its numerator and denominator, counted over the same period. Every figure is computed, for both sides, "
    "from the same ledger of case events.",
}

DECIDED = Q(kind=EventKind.DECIDE)
REVERSED = Q(kind=EventKind.IDENTIFICATION_REVERSED)
DEPARTED = Q(kind=EventKind.RECORD_DEPARTURE, to_state=CaseState.DEPARTED)
SUSPENSIVE_FAILURE = Q(
    kind=EventKind.RECORD_DEPARTURE,
    to_state=CaseState.DEPARTURE_FAILED,
    reason=DepartureFailure.SUSPENSIVE_APPEAL,
)
# "In time to be used": issued on a local day strictly before the detention end known at issue, or no detention.
IN_TIME = Q(detention_end__isnull=True) | Q(local_day__lt=F("detention_end"))
# v2: ... and no release recorded afterwards (whenever it was recorded) that ended the detention on or before the
# day of issue (the release event's `detention_end` is the day the detention actually ended).
RELEASED_BY_ISSUE_DAY = (EventKind.RELEASE, Q(detention_end__lte=OuterRef("local_day")))
RELEASED = Q(kind=EventKind.RELEASE)
RESUMED = Q(kind=EventKind.RESUME)
SUSPENSIVE_APPEAL_LODGED = Q(
    kind=EventKind.RECORD_LEGAL_EVENT, reason=LegalEventKind.APPEAL_LODGED, details__suspensive=True
)
APPEAL_JUDGED = Q(kind=EventKind.RECORD_LEGAL_EVENT, reason=LegalEventKind.APPEAL_DECIDED)
ASYLUM_CLAIMED = Q(kind=EventKind.RECORD_LEGAL_EVENT, reason=LegalEventKind.ASYLUM_CLAIMED)
ASYLUM_DECIDED = Q(kind=EventKind.RECORD_LEGAL_EVENT, reason=LegalEventKind.ASYLUM_DECIDED)

# Names shared by the versions of an indicator (a new version changes the definition, not the name).
LPC_IN_TIME_NAME = {
    "fr": "LPC délivrés dans des délais utiles",
    "ar": "جوازات المرور المسلمة في الآجال المفيدة",
    "en": "LPCs issued in time to be used",
}
READY_NAME = {
    "fr": "Personnes prêtes au retour sans départ",
    "ar": "أشخاص جاهزون للعودة دون ترحيل",
    "en": "People ready for return without a departure",
}
# The wording the versions of `ready_without_departure` share (a new version adds a rule and says so).
READY_STOCK_V2 = {
    "fr": "Stock à la fin de la période : personnes identifiées et munies d'un laissez-passer délivré "
    "avant cette date, sans départ effectué ni retrait de la demande avant cette date, et sans "
    "procédure suspensive à cette date : la dernière tentative de départ n'a pas échoué pour "
    "recours suspensif (sauf nouveau départ programmé depuis) ; la personne n'est pas libérée (sauf "
    "reprise de la procédure depuis) ; aucun recours suspensif contre la mesure d'éloignement "
    "n'attend son jugement et aucune demande d'asile n'attend sa décision (enregistrés avant cette "
    "date)",
    "ar": "العدد القائم في نهاية الفترة: أشخاص تم تحديد هويتهم ويتوفرون على جواز مرور مسلم قبل هذا "
    "التاريخ، دون ترحيل منفذ ولا سحب للطلب قبل هذا التاريخ، ودون أي مسطرة موقفة في هذا التاريخ: لم "
    "تفشل آخر محاولة لترحيلهم بسبب طعن موقف (ما لم تتم برمجة ترحيل جديد بعد ذلك)؛ ولم يُفرج عنهم "
    "(ما لم تُستأنف المسطرة بعد ذلك)؛ ولا ينتظر أي طعن موقف ضد قرار الإبعاد الحكمَ فيه، ولا ينتظر "
    "أي طلب لجوء القرارَ بشأنه (المسجلة قبل هذا التاريخ)",
    "en": "Stock at the end of the period: people identified and holding a laissez-passer issued before "
    "that date, with no departure carried out and no withdrawal before that date, and no suspensive "
    "procedure at that date: their last departure attempt did not fail because of a suspensive "
    "appeal (unless a new departure was scheduled since); they are not released (unless the "
    "procedure resumed since); no suspensive appeal against the removal order awaits its judgment "
    "and no asylum claim awaits its decision (recorded before that date)",
}
READY_BY_MONTH = {
    "fr": "Par mois : le stock à la fin de chaque mois. Attribution : l'événement de délivrance.",
    "ar": "حسب الشهر: العدد القائم في نهاية كل شهر. النسبة: حدث التسليم.",
    "en": "By month: the stock at the end of each month. Attribution: the issuance event.",
}
READY_V1 = StockAtEnd(
    entry=Q(kind=EventKind.ISSUE_LAISSEZ_PASSER),
    exit=DEPARTED | Q(kind=EventKind.WITHDRAW),
    suspended=SUSPENSIVE_FAILURE,
    resumed_by=Q(kind=EventKind.SCHEDULE_DEPARTURE),
)
READY_V2 = dataclasses.replace(
    READY_V1,
    more_suspensions=(
        (RELEASED, RESUMED),
        (SUSPENSIVE_APPEAL_LODGED, APPEAL_JUDGED),
        (ASYLUM_CLAIMED, ASYLUM_DECIDED),
    ),
)

_ALL: list[Indicator] = [
    # ---------------------------------------------------------------- identification
    Indicator(
        id="requests_received",
        version=1,
        theme="identification",
        unit="count",
        name={
            "fr": "Demandes d'identification reçues",
            "ar": "طلبات تحديد الهوية المتوصل بها",
            "en": "Identification requests received",
        },
        definition={
            "fr": "Nombre de demandes transmises par les préfectures aux consulats pendant la période (événements "
            "« transmission » du registre). Une demande compte une seule fois, dans la période de sa "
            "transmission, même si elle est ensuite décidée, retirée ou réorientée. Les brouillons ne "
            "comptent pas. Attribution : consulat et préfecture inscrits à la transmission.",
            "ar": "عدد الطلبات التي أحالتها المحافظات على القنصليات خلال الفترة (أحداث «الإحالة» في السجل). يُحتسب كل "
            "طلب مرة واحدة فقط، في فترة إحالته، حتى وإن تم البت فيه أو سحبه أو إعادة توجيهه لاحقاً. لا تُحتسب "
            "المسودات. النسبة: القنصلية والمحافظة المسجلتان عند الإحالة.",
            "en": "Number of requests sent by préfectures to consulates during the period (ledger 'submit' events). "
            "A request counts once, in the period it was sent, even if it is later decided, withdrawn or "
            "rerouted. Drafts do not count. Attribution: consulate and préfecture recorded when it was sent.",
        },
        computation=EventCount(EventKind.SUBMIT),
    ),
    Indicator(
        id="replies_positive",
        version=1,
        theme="identification",
        unit="count",
        name={
            "fr": "Réponses positives (personnes identifiées)",
            "ar": "ردود إيجابية (أشخاص تم تحديد هويتهم)",
            "en": "Positive replies (persons identified)",
        },
        definition={
            "fr": "Décisions « ressortissant marocain » rendues par les consulats pendant la période. Une décision "
            "compte dans la période où elle est rendue, quelle que soit la date de la demande : une demande "
            "transmise en mars et décidée en avril compte en mars parmi les demandes reçues et en avril "
            "parmi les réponses.",
            "ar": "قرارات «مواطن مغربي» الصادرة عن القنصليات خلال الفترة. يُحتسب القرار في الفترة التي صدر فيها أياً كان "
            "تاريخ الطلب: الطلب المحال في مارس والمبتوت فيه في أبريل يُحتسب في مارس ضمن الطلبات المتوصل بها وفي "
            "أبريل ضمن الردود.",
            "en": "'Moroccan national' decisions made by consulates during the period. A decision counts in the "
            "period it is made, whatever the date of the request: a request sent in March and decided in "
            "April counts in March among requests received and in April among replies.",
        },
        computation=EventCount(EventKind.DECIDE, Q(to_state=CaseState.IDENTIFIED)),
    ),
    Indicator(
        id="replies_negative",
        version=1,
        theme="identification",
        unit="count",
        name={"fr": "Réponses négatives", "ar": "ردود سلبية", "en": "Negative replies"},
        definition={
            "fr": "Décisions « non ressortissant marocain » ou « identité non établie » rendues pendant la période, "
            "comptées dans la période où elles sont rendues.",
            "ar": "قرارات «ليس مواطناً مغربياً» أو «هوية غير ثابتة» الصادرة خلال الفترة، وتُحتسب في الفترة التي صدرت فيها.",
            "en": "'Not a Moroccan national' or 'identity not established' decisions made during the period, counted "
            "in the period they are made.",
        },
        computation=EventCount(
            EventKind.DECIDE, Q(to_state__in=[CaseState.NOT_NATIONAL, CaseState.NOT_ESTABLISHED])
        ),
    ),
    Indicator(
        id="replies_none",
        version=1,
        theme="identification",
        unit="count",
        name={
            "fr": "Demandes sans réponse en fin de période",
            "ar": "طلبات بدون رد في نهاية الفترة",
            "en": "Requests without a reply at the end of the period",
        },
        definition={
            "fr": "Parmi les demandes transmises pendant la période, celles qui n'avaient reçu aucune décision "
            "d'identification à la fin de la période et n'avaient pas été retirées. Une demande retirée avant "
            "d'être décidée n'est pas « sans réponse » : elle compte parmi les demandes retirées. Une demande "
            "décidée après la fin de la période reste « sans réponse » pour cette période.",
            "ar": "من بين الطلبات المحالة خلال الفترة، تلك التي لم يصدر بشأنها أي قرار في نهاية الفترة ولم يتم سحبها. "
            "الطلب المسحوب قبل البت فيه لا يُعدّ «بدون رد» بل يُحتسب ضمن الطلبات المسحوبة. والطلب الذي بُتّ فيه "
            "بعد نهاية الفترة يبقى «بدون رد» بالنسبة لهذه الفترة.",
            "en": "Among the requests sent during the period, those that had no identification decision at the end "
            "of the period and had not been withdrawn. A request withdrawn before a decision is not 'without "
            "a reply': it counts among withdrawn requests. A request decided after the period's end stays "
            "'without a reply' for that period.",
        },
        computation=OpenAtEnd(EventKind.SUBMIT, closed_by=Q(kind__in=[EventKind.DECIDE, EventKind.WITHDRAW])),
    ),
    Indicator(
        id="requests_withdrawn",
        version=1,
        theme="identification",
        unit="count",
        name={"fr": "Demandes retirées", "ar": "طلبات مسحوبة", "en": "Requests withdrawn"},
        definition={
            "fr": "Retraits de demandes par la préfecture pendant la période, quel que soit l'état de la demande "
            "au moment du retrait (mesure annulée, libération, recours suspensif, demande d'asile…). Une "
            "demande retirée reste comptée parmi les demandes reçues de sa période de transmission.",
            "ar": "سحب المحافظة للطلبات خلال الفترة، أياً كانت حالة الطلب لحظة السحب (إلغاء القرار، الإفراج، طعن "
            "موقف، طلب لجوء…). ويظل الطلب المسحوب محتسباً ضمن الطلبات المتوصل بها في فترة إحالته.",
            "en": "Requests withdrawn by the préfecture during the period, whatever their state at the time (order "
            "annulled, release, suspensive appeal, asylum claim…). A withdrawn request still counts among the "
            "requests received in the period it was sent.",
        },
        computation=EventCount(EventKind.WITHDRAW),
    ),
    Indicator(
        id="reply_delay_median",
        version=1,
        theme="identification",
        unit="days",
        name={
            "fr": "Délai de réponse médian (jours)",
            "ar": "المدة الوسيطة للرد (بالأيام)",
            "en": "Median reply delay (days)",
        },
        definition={
            "fr": "Pour les décisions (positives et négatives) rendues pendant la période : nombre de jours "
            "calendaires (dates à l'heure de Paris) entre le jour de transmission de la demande et le jour de "
            "la décision ; une décision rendue le jour même compte 0 jour. Médiane au "
            "rang le plus proche : le plus petit délai d tel qu'au moins la moitié des décisions ont été "
            "rendues en d jours ou moins. Une réorientation vers un autre consulat ne remet pas le délai à zéro.",
            "ar": "بالنسبة للقرارات (الإيجابية والسلبية) الصادرة خلال الفترة: عدد الأيام التقويمية (التواريخ بتوقيت باريس) "
            "بين يوم إحالة الطلب ويوم صدور القرار؛ القرار الصادر في اليوم نفسه يُحتسب 0 يوم. الوسيط بطريقة الرتبة الأقرب: أصغر مدة d بحيث يكون نصف القرارات على الأقل "
            "قد صدر في d يوماً أو أقل. إعادة توجيه الطلب إلى قنصلية أخرى لا تعيد احتساب المدة من الصفر.",
            "en": "For the decisions (positive and negative) made during the period: calendar days (Paris dates) "
            "from the day the request was sent to the day of the decision; a same-day decision counts 0 days. Nearest-rank median: the smallest delay d "
            "such that at least half of the decisions were made in d days or fewer. Rerouting to another "
            "consulate does not restart the delay.",
        },
        computation=Delay(EventKind.SUBMIT, DECIDED, 50),
    ),
    Indicator(
        id="reply_delay_p90",
        version=1,
        theme="identification",
        unit="days",
        name={
            "fr": "Délai de réponse, 90e centile (jours)",
            "ar": "مدة الرد، المئين التسعون (بالأيام)",
            "en": "Reply delay, 90th percentile (days)",
        },
        definition={
            "fr": "Même mesure que le délai médian, au 90e centile (rang le plus proche) : le plus petit délai d tel "
            "qu'au moins 90 % des décisions de la période ont été rendues en d jours ou moins.",
            "ar": "القياس نفسه المعتمد في المدة الوسيطة، عند المئين التسعين (الرتبة الأقرب): أصغر مدة d بحيث يكون 90٪ "
            "على الأقل من قرارات الفترة قد صدر في d يوماً أو أقل.",
            "en": "Same measure as the median delay, at the 90th percentile (nearest rank): the smallest delay d such "
            "that at least 90% of the period's decisions were made in d days or fewer.",
        },
        computation=Delay(EventKind.SUBMIT, DECIDED, 90),
    ),
    Indicator(
        id="identification_rate",
        version=1,
        theme="identification",
        unit="rate",
        name={"fr": "Taux de réponses positives", "ar": "نسبة الردود الإيجابية", "en": "Positive reply rate"},
        definition={
            "fr": "Réponses positives ÷ (réponses positives + réponses négatives) de la période. Les demandes sans "
            "réponse et les demandes retirées n'entrent pas dans le dénominateur.",
            "ar": "الردود الإيجابية ÷ (الردود الإيجابية + الردود السلبية) خلال الفترة. لا تدخل الطلبات بدون رد ولا "
            "الطلبات المسحوبة في المقام.",
            "en": "Positive replies ÷ (positive replies + negative replies) of the period. Requests without a reply "
            "and withdrawn requests are not in the denominator.",
        },
        computation=Ratio("replies_positive", ("replies_positive", "replies_negative")),
    ),
    Indicator(
        id="identification_reversals",
        version=1,
        theme="identification",
        unit="count",
        name={
            "fr": "Identifications infirmées",
            "ar": "عمليات تحديد الهوية الملغاة",
            "en": "Identifications reversed",
        },
        definition={
            "fr": "Identifications positives infirmées pendant la période (la personne s'est révélée ne pas être "
            "celle qui avait été identifiée), quel que soit le moment de l'identification, comptées dans la "
            "période où l'infirmation est enregistrée par le consulat ou l'administration centrale marocaine. "
            "Une identification infirmée reste comptée parmi les réponses positives de sa période.",
            "ar": "عمليات تحديد الهوية الإيجابية التي أُلغيت خلال الفترة (تبيّن أن الشخص ليس هو من تم تحديد هويته)، "
            "أياً كان تاريخ تحديد الهوية، وتُحتسب في الفترة التي سجلت فيها القنصلية أو الإدارة المركزية المغربية "
            "الإلغاء. ويبقى تحديد الهوية الملغى محتسباً ضمن الردود الإيجابية لفترته.",
            "en": "Positive identifications reversed during the period (the person turned out not to be the one "
            "identified), whenever the identification was made, counted in the period the consulate or the "
            "Moroccan central administration records the reversal. A reversed identification still counts "
            "among the positive replies of its own period.",
        },
        computation=EventCount(EventKind.IDENTIFICATION_REVERSED),
    ),
    # ---------------------------------------------------------------- laissez-passer
    Indicator(
        id="lpc_issued",
        version=1,
        theme="lpc",
        unit="count",
        name={
            "fr": "Laissez-passer consulaires délivrés",
            "ar": "جوازات المرور القنصلية المسلمة",
            "en": "Consular laissez-passer issued",
        },
        definition={
            "fr": "Premières délivrances d'un laissez-passer consulaire pendant la période, une par personne "
            "identifiée. Une prolongation ou une réédition (nouveau numéro remplaçant un laissez-passer "
            "expiré ou perdu) n'est pas un nouveau laissez-passer pour cet indicateur.",
            "ar": "أول تسليم لجواز مرور قنصلي خلال الفترة، جواز واحد لكل شخص تم تحديد هويته. لا يُعدّ التمديد أو إعادة "
            "الإصدار (رقم جديد يحل محل جواز منتهي الصلاحية أو ضائع) جوازاً جديداً بالنسبة لهذا المؤشر.",
            "en": "First issuance of a consular laissez-passer during the period, one per identified person. An "
            "extension or a re-issue (a new number replacing an expired or lost laissez-passer) is not a new "
            "laissez-passer for this indicator.",
        },
        computation=EventCount(EventKind.ISSUE_LAISSEZ_PASSER),
    ),
    Indicator(
        id="lpc_in_time",
        version=1,
        theme="lpc",
        unit="count",
        name=LPC_IN_TIME_NAME,
        definition={
            "fr": "Laissez-passer délivrés pendant la période avant la libération de la personne : le jour de "
            "délivrance (heure de Paris) est strictement antérieur à la date de fin de rétention au plus tard "
            "connue à la délivrance, ou la personne n'était pas placée en rétention. Un laissez-passer délivré "
            "le jour de la fin de rétention ou après ne compte pas.",
            "ar": "جوازات المرور المسلمة خلال الفترة قبل الإفراج عن الشخص: يوم التسليم (بتوقيت باريس) سابق تماماً لتاريخ "
            "انتهاء الاحتجاز الأقصى المعروف عند التسليم، أو لم يكن الشخص محتجزاً. لا يُحتسب الجواز المسلم في يوم "
            "انتهاء الاحتجاز أو بعده.",
            "en": "Laissez-passer issued during the period before the person's release: the day of issue (Paris "
            "time) is strictly before the latest detention end date known at issue, or the person was not in "
            "detention. A laissez-passer issued on the day detention ends or later does not count.",
        },
        computation=EventCount(EventKind.ISSUE_LAISSEZ_PASSER, IN_TIME),
    ),
    Indicator(
        id="lpc_in_time_rate",
        version=1,
        theme="lpc",
        unit="rate",
        name={
            "fr": "Part des LPC délivrés dans des délais utiles",
            "ar": "حصة الجوازات المسلمة في الآجال المفيدة",
            "en": "Share of LPCs issued in time",
        },
        definition={
            "fr": "LPC délivrés dans des délais utiles ÷ LPC délivrés, sur la même période.",
            "ar": "الجوازات المسلمة في الآجال المفيدة ÷ الجوازات المسلمة، خلال الفترة نفسها.",
            "en": "LPCs issued in time to be used ÷ LPCs issued, over the same period.",
        },
        computation=Ratio("lpc_in_time", ("lpc_issued",)),
    ),
    Indicator(
        id="lpc_issuance_rate",
        version=1,
        theme="lpc",
        unit="rate",
        name={
            "fr": "Taux de délivrance des LPC",
            "ar": "نسبة تسليم جوازات المرور القنصلية",
            "en": "LPC issuance rate",
        },
        definition={
            "fr": "LPC délivrés pendant la période ÷ demandes d'identification reçues pendant la période. Les deux "
            "flux portent sur la même période ; ce n'est pas le devenir d'une cohorte : un LPC délivré en "
            "avril pour une demande de mars compte en avril. Le taux peut donc dépasser 100 % sur une période "
            "courte.",
            "ar": "الجوازات المسلمة خلال الفترة ÷ طلبات تحديد الهوية المتوصل بها خلال الفترة. يتعلق التدفقان بالفترة "
            "نفسها، وليس بمآل فوج من الطلبات: الجواز المسلم في أبريل لطلب من مارس يُحتسب في أبريل. لذلك قد تتجاوز "
            "النسبة 100٪ على فترة قصيرة.",
            "en": "LPCs issued during the period ÷ identification requests received during the period. Both flows "
            "cover the same period; this is not the outcome of a cohort: an LPC issued in April for a March "
            "request counts in April. The rate can therefore exceed 100% over a short period.",
        },
        computation=Ratio("lpc_issued", ("requests_received",)),
    ),
    # ---------------------------------------------------------------- departures
    Indicator(
        id="departures_executed",
        version=1,
        theme="departures",
        unit="count",
        name={"fr": "Départs exécutés", "ar": "عمليات الترحيل المنفذة", "en": "Departures executed"},
        definition={
            "fr": "Départs enregistrés comme effectués pendant la période. Un départ qui a d'abord échoué puis "
            "réussi compte une seule fois, à la date du départ réussi ; la tentative échouée compte parmi les "
            "départs en échec.",
            "ar": "عمليات الترحيل المسجلة على أنها منفذة خلال الفترة. الترحيل الذي فشل أولاً ثم نجح يُحتسب مرة واحدة، "
            "في تاريخ الترحيل الناجح؛ وتُحتسب المحاولة الفاشلة ضمن عمليات الترحيل الفاشلة.",
            "en": "Departures recorded as carried out during the period. A departure that first failed and then "
            "succeeded counts once, on the date of the successful departure; the failed attempt counts among "
            "failed departures.",
        },
        computation=EventCount(EventKind.RECORD_DEPARTURE, Q(to_state=CaseState.DEPARTED)),
    ),
    Indicator(
        id="departures_failed",
        version=1,
        theme="departures",
        unit="count",
        name={"fr": "Départs en échec", "ar": "عمليات ترحيل فاشلة", "en": "Failed departures"},
        definition={
            "fr": "Tentatives de départ enregistrées en échec pendant la période (refus d'embarquer, libération par "
            "le juge, recours suspensif, raison médicale, vol annulé…). Chaque tentative échouée compte.",
            "ar": "محاولات الترحيل المسجلة على أنها فاشلة خلال الفترة (رفض الصعود، إفراج بقرار قضائي، طعن موقف، سبب "
            "طبي، إلغاء الرحلة…). تُحتسب كل محاولة فاشلة.",
            "en": "Departure attempts recorded as failed during the period (refusal to board, release by a judge, "
            "suspensive appeal, medical reason, cancelled flight…). Every failed attempt counts.",
        },
        computation=EventCount(EventKind.RECORD_DEPARTURE, Q(to_state=CaseState.DEPARTURE_FAILED)),
    ),
    Indicator(
        id="departures_per_lpc",
        version=1,
        theme="departures",
        unit="rate",
        name={
            "fr": "Départs par LPC délivré",
            "ar": "عمليات الترحيل لكل جواز مرور مسلم",
            "en": "Departures per LPC issued",
        },
        definition={
            "fr": "Départs exécutés ÷ LPC délivrés, sur la même période (flux, pas cohorte).",
            "ar": "عمليات الترحيل المنفذة ÷ جوازات المرور المسلمة، خلال الفترة نفسها (تدفقات وليس فوجاً).",
            "en": "Departures executed ÷ LPCs issued, over the same period (flows, not a cohort).",
        },
        computation=Ratio("departures_executed", ("lpc_issued",)),
    ),
    Indicator(
        id="readmissions_confirmed",
        version=1,
        theme="departures",
        unit="count",
        name={
            "fr": "Réadmissions confirmées",
            "ar": "عمليات إعادة القبول المؤكدة",
            "en": "Readmissions confirmed",
        },
        definition={
            "fr": "Arrivées confirmées par la police aux frontières marocaine pendant la période.",
            "ar": "الوصول المؤكد من طرف شرطة الحدود المغربية خلال الفترة.",
            "en": "Arrivals confirmed by the Moroccan border police during the period.",
        },
        computation=EventCount(EventKind.CONFIRM_READMISSION),
    ),
    Indicator(
        id="ready_without_departure",
        version=1,
        theme="departures",
        unit="count",
        name=READY_NAME,
        definition={
            "fr": "Stock à la fin de la période : personnes identifiées et munies d'un laissez-passer délivré avant "
            "cette date, sans départ effectué ni retrait de la demande avant cette date, et dont la dernière "
            "tentative de départ n'a pas échoué pour recours suspensif (sauf nouveau départ programmé depuis). "
            "Par mois : le stock à la fin de chaque mois. Attribution : l'événement de délivrance.",
            "ar": "العدد القائم في نهاية الفترة: أشخاص تم تحديد هويتهم ويتوفرون على جواز مرور مسلم قبل هذا التاريخ، دون "
            "ترحيل منفذ ولا سحب للطلب قبل هذا التاريخ، ولم تفشل آخر محاولة لترحيلهم بسبب طعن موقف (ما لم تتم "
            "برمجة ترحيل جديد بعد ذلك). حسب الشهر: العدد القائم في نهاية كل شهر. النسبة: حدث التسليم.",
            "en": "Stock at the end of the period: people identified and holding a laissez-passer issued before that "
            "date, with no departure carried out and no withdrawal before that date, whose last departure "
            "attempt did not fail because of a suspensive appeal (unless a new departure was scheduled since). "
            "By month: the stock at the end of each month. Attribution: the issuance event.",
        },
        computation=READY_V1,
    ),
    # ---------------------------------------------------------------- the person's legal situation (#11)
    Indicator(
        id="lpc_in_time",
        version=2,
        theme="lpc",
        unit="count",
        name=LPC_IN_TIME_NAME,
        definition={
            "fr": "Laissez-passer délivrés pendant la période avant la libération de la personne : le jour de "
            "délivrance (heure de Paris) est strictement antérieur à la fin de la période de rétention "
            "effectivement autorisée par le juge connue à la délivrance (et non à la durée maximale), ou la "
            "personne n'était pas placée en rétention ; et aucune libération enregistrée ensuite, même "
            "après la fin de la période, n'a mis fin à la rétention le jour de la délivrance ou avant. Un "
            "laissez-passer délivré le jour de la libération ou après ne compte pas. Changement par rapport à "
            "la version 1 : la libération enregistrée (décision du juge, durée atteinte, recours, asile) "
            "est lue, y compris lorsqu'elle est enregistrée après la délivrance avec une date antérieure.",
            "ar": "جوازات المرور المسلمة خلال الفترة قبل الإفراج عن الشخص: يوم التسليم (بتوقيت باريس) سابق تماماً لنهاية "
            "مدة الاحتجاز التي أذن بها القاضي فعلاً والمعروفة عند التسليم (وليس المدة القصوى)، أو لم يكن الشخص "
            "محتجزاً؛ ولم يُنهِ أيُّ إفراج مسجل لاحقاً، ولو بعد نهاية الفترة، الاحتجازَ في يوم التسليم أو قبله. لا "
            "يُحتسب الجواز المسلم في يوم الإفراج أو بعده. التغيير مقارنة بالصيغة 1: يُقرأ الإفراج المسجل (قرار "
            "القاضي، بلوغ المدة، طعن، لجوء)، بما في ذلك حين يُسجَّل بعد التسليم بتاريخ سابق له.",
            "en": "Laissez-passer issued during the period before the person's release: the day of issue (Paris "
            "time) is strictly before the end of the detention period actually authorised by the judge as known "
            "at issue (not the maximum duration), or the person was not in detention; and no release recorded "
            "afterwards, even after the period's end, ended the detention on or before the day of issue. A "
            "laissez-passer issued on the day of release or later does not count. Change from version 1: the "
            "recorded release (judge's decision, period reached, appeal, asylum) is read, including when it is "
            "recorded after the issue with an earlier date.",
        },
        computation=EventCount(EventKind.ISSUE_LAISSEZ_PASSER, IN_TIME, unless_later=RELEASED_BY_ISSUE_DAY),
    ),
    Indicator(
        id="ready_without_departure",
        version=2,
        theme="departures",
        unit="count",
        name=READY_NAME,
        definition={
            lg: f"{READY_STOCK_V2[lg]}. {READY_BY_MONTH[lg]} {change}"
            for lg, change in {
                "fr": "Changement par rapport à la version 1 : les personnes libérées et celles dont un recours "
                "suspensif ou une demande d'asile est en cours sont exclues.",
                "ar": "التغيير مقارنة بالصيغة 1: يُستثنى الأشخاص المفرج عنهم ومن لديهم طعن موقف أو طلب لجوء قيد النظر.",
                "en": "Change from version 1: released people and those with a pending suspensive appeal or asylum "
                "claim are excluded.",
            }.items()
        },
        computation=READY_V2,
    ),
    Indicator(
        id="ready_without_departure",
        version=3,
        theme="departures",
        unit="count",
        name=READY_NAME,
        definition={
            lg: f"{READY_STOCK_V2[lg]}{clause}. {READY_BY_MONTH[lg]} {change}"
            for lg, clause, change in (
                (
                    "fr",
                    " ; son identification n'a pas été infirmée (sauf nouveau laissez-passer délivré depuis)",
                    "Changement par rapport à la version 2 : les personnes dont l'identification a été infirmée "
                    "sont exclues.",
                ),
                (
                    "ar",
                    "؛ ولم يُلغَ تحديد هويتهم (ما لم يُسلَّم جواز مرور جديد بعد ذلك)",
                    "التغيير مقارنة بالصيغة 2: يُستثنى الأشخاص الذين أُلغي تحديد هويتهم.",
                ),
                (
                    "en",
                    "; their identification was not reversed (unless a new laissez-passer was issued since)",
                    "Change from version 2: people whose identification was reversed are excluded.",
                ),
            )
        },
        computation=dataclasses.replace(READY_V2, ends_entry=REVERSED),
    ),
    Indicator(
        id="releases_before_departure",
        version=1,
        theme="departures",
        unit="count",
        name={
            "fr": "Libérations avant départ",
            "ar": "حالات الإفراج قبل الترحيل",
            "en": "Releases before departure",
        },
        definition={
            "fr": "Libérations enregistrées pendant la période pour des personnes dont la demande était ouverte et "
            "qui n'étaient pas parties (événements « libération » du registre), quelle qu'en soit la cause : "
            "refus de prolongation ou remise en liberté par le juge, période autorisée ou durée maximale "
            "atteinte, recours contre la mesure d'éloignement, demande d'asile, autre cause. Une libération "
            "compte dans la période où elle est enregistrée ; une personne libérée deux fois compte deux fois. "
            "Attribution : consulat et préfecture inscrits à la libération.",
            "ar": "حالات الإفراج المسجلة خلال الفترة عن أشخاص كان طلبهم مفتوحاً ولم يتم ترحيلهم (أحداث «الإفراج» في "
            "السجل)، أياً كان سببها: رفض القاضي التمديد أو أمره بالإفراج، بلوغ المدة المأذون بها أو المدة القصوى، "
            "طعن ضد قرار الإبعاد، طلب لجوء، سبب آخر. يُحتسب الإفراج في الفترة التي سُجِّل فيها؛ والشخص المفرج عنه "
            "مرتين يُحتسب مرتين. النسبة: القنصلية والمحافظة المسجلتان عند الإفراج.",
            "en": "Releases recorded during the period for people whose request was open and who had not left "
            "(ledger 'release' events), whatever the cause: extension refused or release ordered by the judge, "
            "authorised period or maximum duration reached, appeal against the removal order, asylum claim, "
            "other cause. A release counts in the period it is recorded; a person released twice counts twice. "
            "Attribution: consulate and préfecture recorded at the release.",
        },
        computation=EventCount(EventKind.RELEASE),
    ),
    *(
        Indicator(
            id=f"releases_{cause}",
            version=1,
            theme="departures",
            unit="count",
            name=name,
            definition={
                "fr": "Libérations avant départ (même définition) dont la cause enregistrée est : "
                f"{name['fr'].split(' : ', 1)[1]}.",
                "ar": f"حالات الإفراج قبل الترحيل (التعريف نفسه) التي يكون سببها المسجل: {name['ar'].split(': ', 1)[1]}.",
                "en": f"Releases before departure (same definition) whose recorded cause is: {name['en'].split(': ', 1)[1]}.",
            },
            computation=EventCount(EventKind.RELEASE, Q(reason=cause)),
        )
        for cause, name in (
            (
                ReleaseCause.JUDGE,
                {
                    "fr": "Libérations avant départ : décision du juge",
                    "ar": "الإفراج قبل الترحيل: قرار القاضي",
                    "en": "Releases before departure: judge's decision",
                },
            ),
            (
                ReleaseCause.CAP_REACHED,
                {
                    "fr": "Libérations avant départ : période autorisée ou durée maximale atteinte",
                    "ar": "الإفراج قبل الترحيل: بلوغ المدة المأذون بها أو المدة القصوى",
                    "en": "Releases before departure: authorised period or maximum duration reached",
                },
            ),
            (
                ReleaseCause.APPEAL,
                {
                    "fr": "Libérations avant départ : recours contre la mesure d'éloignement",
                    "ar": "الإفراج قبل الترحيل: طعن ضد قرار الإبعاد",
                    "en": "Releases before departure: appeal against the removal order",
                },
            ),
            (
                ReleaseCause.ASYLUM,
                {
                    "fr": "Libérations avant départ : demande d'asile",
                    "ar": "الإفراج قبل الترحيل: طلب لجوء",
                    "en": "Releases before departure: asylum claim",
                },
            ),
            (
                ReleaseCause.OTHER,
                {
                    "fr": "Libérations avant départ : autre cause",
                    "ar": "الإفراج قبل الترحيل: سبب آخر",
                    "en": "Releases before departure: other cause",
                },
            ),
        )
    ),
]

REGISTRY: dict[str, dict[int, Indicator]] = {}


def register(indicator: Indicator) -> Indicator:
    versions = REGISTRY.setdefault(indicator.id, {})
    if indicator.version in versions and versions[indicator.version] is not indicator:
        raise ValueError(f"{indicator.key} is already defined: a changed definition needs a new version")
    versions[indicator.version] = indicator
    return indicator


def unregister(indicator: Indicator) -> None:
    """Only for tests that add a temporary version."""
    REGISTRY[indicator.id].pop(indicator.version, None)


for _indicator in _ALL:
    register(_indicator)

ORDER = list(dict.fromkeys(i.id for i in _ALL))  # a new version keeps its indicator's place


class UnknownIndicator(KeyError):
    pass


def get(indicator_id: str, version: int | None = None) -> Indicator:
    try:
        versions = REGISTRY[indicator_id]
        return versions[version if version is not None else max(versions)]
    except KeyError as exc:
        raise UnknownIndicator(f"{indicator_id}@{version}") from exc


def current_versions() -> dict[str, int]:
    return {i: max(REGISTRY[i]) for i in ORDER}


def resolve(versions: dict[str, int] | None = None) -> list[Indicator]:
    """The indicators of the core set at the given versions (current versions by default)."""
    versions = versions or current_versions()
    return [get(i, versions[i]) for i in ORDER if i in versions]
