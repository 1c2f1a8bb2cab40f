"""The legal mobility and irregular migration indicators: definitions (fr/ar/en, versioned) registered in the
shared registry (`gmmp.indicators.definitions`), and their counts over this app's tables.

Counts over versioned figures (visas, irregular migration) read the figures in force at `as_of`; counts over
the seasonal programme read the contracts as they are (dates recorded by the officers)."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from gmmp.indicators.computations import Ratio
from gmmp.indicators.definitions import Indicator
from gmmp.indicators.domains import DomainCount, IndicatorSet, register_set
from gmmp.indicators.periods import Period, add_months
from gmmp.organisations.enums import Side

from .enums import ContractStatus, IrregularMeasure, Sector, StudyLevel, VisaPost
from .models import Complaint, IrregularFigure, RightsCheck, SeasonalContract, StudentVisaFigure

RETURN_GRACE_DAYS = 30  # part of the definition of a return: changing it is a new version


def _grouped(qs, breakdown: str, field: str, how=Count, what="pk") -> dict[str, int]:
    if breakdown == "none":
        return {"all": qs.aggregate(n=how(what))["n"] or 0}
    return {
        str(row["k"]): row["n"]
        for row in qs.annotate(k=F(field)).values("k").annotate(n=how(what)).order_by()
        if row["n"]
    }


# ---------------------------------------------------------------- students


def _visa(field: str):
    def fn(period: Period, as_of: dt.datetime, breakdown: str) -> dict:
        qs = StudentVisaFigure.objects.as_of(as_of).filter(
            month__gte=period.first_day, month__lte=period.last_day
        )
        return _grouped(qs, breakdown, breakdown, Sum, field)

    return fn


# ---------------------------------------------------------------- seasonal workers


def _contracts(breakdown):
    return SeasonalContract.objects.order_by()


def _signed(period, as_of, breakdown):
    qs = _contracts(breakdown).exclude(status=ContractStatus.CANCELLED)
    return _grouped(
        qs.filter(start_date__gte=period.first_day, start_date__lte=period.last_day), breakdown, "sector"
    )


def _arrivals(period, as_of, breakdown):
    qs = _contracts(breakdown).filter(arrived_on__gte=period.first_day, arrived_on__lte=period.last_day)
    return _grouped(qs, breakdown, "sector")


def _ended_qs(period):
    return _contracts("none").filter(
        arrived_on__isnull=False, end_date__gte=period.first_day, end_date__lte=period.last_day
    )


def _ended(period, as_of, breakdown):
    return _grouped(_ended_qs(period), breakdown, "sector")


def _returned_qs(period):
    return _ended_qs(period).filter(
        returned_on__isnull=False, returned_on__lte=F("end_date") + dt.timedelta(days=RETURN_GRACE_DAYS)
    )


def _returned(period, as_of, breakdown):
    return _grouped(_returned_qs(period), breakdown, "sector")


def _not_returned(period, as_of, breakdown):
    ended = _grouped(_ended_qs(period), breakdown, "sector")
    returned = _grouped(_returned_qs(period), breakdown, "sector")
    return {k: n - returned.get(k, 0) for k, n in ended.items()}


def _rehired(period, as_of, breakdown):
    earlier_return = SeasonalContract.objects.filter(
        worker_id=OuterRef("worker_id"),
        season__lt=OuterRef("season"),
        status=ContractStatus.RETURNED,
    )
    qs = (
        _contracts(breakdown)
        .exclude(status=ContractStatus.CANCELLED)
        .filter(start_date__gte=period.first_day, start_date__lte=period.last_day)
        .filter(Exists(earlier_return))
    )
    return _grouped(qs, breakdown, "sector")


def _checks(where: Q):
    def fn(period, as_of, breakdown):
        qs = RightsCheck.objects.order_by().filter(
            where, checked_on__gte=period.first_day, checked_on__lte=period.last_day
        )
        return _grouped(qs, breakdown, "contract__sector")

    return fn


def _complaints_filed(period, as_of, breakdown):
    qs = Complaint.objects.order_by().filter(filed_on__gte=period.first_day, filed_on__lte=period.last_day)
    return _grouped(qs, breakdown, "contract__sector")


def _complaints_closed(period, as_of, breakdown):
    qs = Complaint.objects.order_by().filter(closed_on__gte=period.first_day, closed_on__lte=period.last_day)
    return _grouped(qs, breakdown, "contract__sector")


def _complaints_open(period, as_of, breakdown):
    qs = (
        Complaint.objects.order_by()
        .filter(filed_on__lte=period.last_day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=period.last_day))
    )
    return _grouped(qs, breakdown, "contract__sector")


# ---------------------------------------------------------------- irregular migration


def quarters_within(period: Period) -> list[dt.date]:
    """First days of the quarters lying wholly inside the period."""
    out = []
    first = dt.date(period.first_day.year, 3 * ((period.first_day.month - 1) // 3) + 1, 1)
    while first <= period.last_day:
        last = add_months(first, 3) - dt.timedelta(days=1)
        if first >= period.first_day and last <= period.last_day:
            out.append(first)
        first = add_months(first, 3)
    return out


def _irregular(measure: str):
    def fn(period, as_of, breakdown):
        qs = IrregularFigure.objects.as_of(as_of).filter(measure=measure, quarter__in=quarters_within(period))
        return _grouped(qs, breakdown, "side", Sum, "value")

    return fn


# ---------------------------------------------------------------- definitions


def _i(id, theme, unit, name, definition, computation):
    return Indicator(
        id=id,
        version=1,
        theme=theme,
        unit=unit,
        name=name,
        definition=definition,
        computation=computation,
        core=False,
    )


VISA_RULE = {
    "fr": " Les chiffres d'un mois comptent dans la période qui contient le premier jour du mois ; ce sont les "
    "chiffres en vigueur (après correction éventuelle) à la date du calcul.",
    "ar": " تُحتسب أرقام الشهر في الفترة التي تتضمن اليوم الأول من الشهر؛ وهي الأرقام السارية (بعد أي تصحيح) في تاريخ الاحتساب.",
    "en": " A month's figures count in the period containing the month's first day; they are the figures in "
    "force (after any correction) when computed.",
}


def _with(rule: dict, texts: dict) -> dict:
    return {lang: texts[lang] + rule[lang] for lang in texts}


STUDENTS = [
    _i(
        "student_visa_applications",
        "students",
        "count",
        {
            "fr": "Demandes de visa pour études",
            "ar": "طلبات التأشيرة من أجل الدراسة",
            "en": "Student visa applications",
        },
        _with(
            VISA_RULE,
            {
                "fr": "Demandes de visa pour études en France déposées dans les consulats de France au Maroc, "
                "d'après l'export mensuel du système des visas.",
                "ar": "طلبات التأشيرة من أجل الدراسة في فرنسا المودعة لدى القنصليات الفرنسية بالمغرب، حسب التصدير الشهري لنظام التأشيرات.",
                "en": "Applications for a visa to study in France lodged at the French consulates in Morocco, from the "
                "visa system's monthly export.",
            },
        ),
        DomainCount(_visa("applications")),
    ),
    _i(
        "student_visas_issued",
        "students",
        "count",
        {"fr": "Visas pour études délivrés", "ar": "تأشيرات الدراسة المسلمة", "en": "Student visas issued"},
        _with(
            VISA_RULE,
            {
                "fr": "Visas pour études délivrés par les consulats de France au Maroc pendant la période, quelle que "
                "soit la date de la demande.",
                "ar": "تأشيرات الدراسة التي سلمتها القنصليات الفرنسية بالمغرب خلال الفترة، أياً كان تاريخ الطلب.",
                "en": "Student visas issued by the French consulates in Morocco during the period, whatever the date of "
                "the application.",
            },
        ),
        DomainCount(_visa("issued")),
    ),
    _i(
        "student_visas_refused",
        "students",
        "count",
        {"fr": "Refus de visa pour études", "ar": "رفض تأشيرات الدراسة", "en": "Student visas refused"},
        _with(
            VISA_RULE,
            {
                "fr": "Décisions de refus de visa pour études rendues pendant la période.",
                "ar": "قرارات رفض تأشيرة الدراسة الصادرة خلال الفترة.",
                "en": "Student visa refusals decided during the period.",
            },
        ),
        DomainCount(_visa("refused")),
    ),
    _i(
        "student_visa_issuance_rate",
        "students",
        "rate",
        {
            "fr": "Taux de délivrance des visas pour études",
            "ar": "نسبة تسليم تأشيرات الدراسة",
            "en": "Student visa issuance rate",
        },
        {
            "fr": "Visas pour études délivrés ÷ décisions (visas délivrés + refus), sur la même période.",
            "ar": "تأشيرات الدراسة المسلمة ÷ القرارات (التأشيرات المسلمة + الرفض)، خلال الفترة نفسها.",
            "en": "Student visas issued ÷ decisions (visas issued + refusals), over the same period.",
        },
        Ratio("student_visas_issued", ("student_visas_issued", "student_visas_refused")),
    ),
]

SEASONAL = [
    _i(
        "seasonal_contracts_signed",
        "seasonal",
        "count",
        {
            "fr": "Contrats saisonniers commençant",
            "ar": "عقود موسمية تبدأ",
            "en": "Seasonal contracts starting",
        },
        {
            "fr": "Contrats du programme OFII–ANAPEC dont la date de début tombe dans la période, hors contrats "
            "annulés avant l'arrivée.",
            "ar": "عقود برنامج OFII–ANAPEC التي يقع تاريخ بدايتها في الفترة، باستثناء العقود الملغاة قبل الوصول.",
            "en": "OFII–ANAPEC programme contracts whose start date falls in the period, except contracts "
            "cancelled before arrival.",
        },
        DomainCount(_signed),
    ),
    _i(
        "seasonal_arrivals",
        "seasonal",
        "count",
        {
            "fr": "Arrivées de travailleurs saisonniers",
            "ar": "وصول العمال الموسميين",
            "en": "Seasonal workers' arrivals",
        },
        {
            "fr": "Arrivées en France enregistrées par l'OFII dont la date tombe dans la période.",
            "ar": "حالات الوصول إلى فرنسا التي سجلها المكتب الفرنسي للهجرة والاندماج والواقعة في الفترة.",
            "en": "Arrivals in France recorded by OFII whose date falls in the period.",
        },
        DomainCount(_arrivals),
    ),
    _i(
        "seasonal_contracts_ended",
        "seasonal",
        "count",
        {"fr": "Contrats arrivés à terme", "ar": "عقود منتهية", "en": "Contracts ended"},
        {
            "fr": "Contrats dont le travailleur est arrivé en France et dont la date de fin tombe dans la période.",
            "ar": "العقود التي وصل عاملها إلى فرنسا ويقع تاريخ انتهائها في الفترة.",
            "en": "Contracts whose worker arrived in France and whose end date falls in the period.",
        },
        DomainCount(_ended),
    ),
    _i(
        "seasonal_returned",
        "seasonal",
        "count",
        {
            "fr": "Retours au Maroc en fin de contrat",
            "ar": "العودة إلى المغرب عند انتهاء العقد",
            "en": "Returns to Morocco at the contract's end",
        },
        {
            "fr": "Parmi les contrats arrivés à terme dans la période, ceux dont le retour au Maroc est enregistré au "
            "plus tard 30 jours après la date de fin du contrat.",
            "ar": "من بين العقود المنتهية خلال الفترة، تلك التي سُجلت عودة عاملها إلى المغرب في أجل أقصاه 30 يوماً بعد تاريخ انتهاء العقد.",
            "en": "Among the contracts ended in the period, those whose worker's return to Morocco is recorded no "
            "later than 30 days after the contract's end date.",
        },
        DomainCount(_returned),
    ),
    _i(
        "seasonal_not_returned",
        "seasonal",
        "count",
        {"fr": "Travailleurs non retournés", "ar": "عمال لم يعودوا", "en": "Workers who did not return"},
        {
            "fr": "Contrats arrivés à terme dans la période moins les retours en fin de contrat : travailleur "
            "déclaré non retourné, retour après le délai de 30 jours ou pas encore enregistré.",
            "ar": "العقود المنتهية خلال الفترة ناقص حالات العودة عند انتهاء العقد: عامل مصرح بعدم عودته، أو عودة بعد أجل 30 يوماً أو لم تسجل بعد.",
            "en": "Contracts ended in the period minus returns at the contract's end: worker declared not "
            "returned, return after the 30 days or not recorded yet.",
        },
        DomainCount(_not_returned),
    ),
    _i(
        "seasonal_circularity_rate",
        "seasonal",
        "rate",
        {"fr": "Taux de circularité", "ar": "نسبة الدائرية", "en": "Circularity rate"},
        {
            "fr": "Retours au Maroc en fin de contrat ÷ contrats arrivés à terme, sur la même période.",
            "ar": "العودة إلى المغرب عند انتهاء العقد ÷ العقود المنتهية، خلال الفترة نفسها.",
            "en": "Returns to Morocco at the contract's end ÷ contracts ended, over the same period.",
        },
        Ratio("seasonal_returned", ("seasonal_contracts_ended",)),
    ),
    _i(
        "seasonal_rehired",
        "seasonal",
        "count",
        {"fr": "Travailleurs réembauchés", "ar": "عمال أعيد تشغيلهم", "en": "Workers re-hired"},
        {
            "fr": "Parmi les contrats commençant dans la période, ceux dont le travailleur avait, lors d'une saison "
            "antérieure, un contrat terminé par son retour au Maroc.",
            "ar": "من بين العقود التي تبدأ خلال الفترة، تلك التي كان لعاملها في موسم سابق عقد انتهى بعودته إلى المغرب.",
            "en": "Among the contracts starting in the period, those whose worker had, in an earlier season, a "
            "contract that ended with their return to Morocco.",
        },
        DomainCount(_rehired),
    ),
    _i(
        "seasonal_rehire_rate",
        "seasonal",
        "rate",
        {"fr": "Part des réembauches", "ar": "حصة إعادة التشغيل", "en": "Share of re-hires"},
        {
            "fr": "Travailleurs réembauchés ÷ contrats commençant, sur la même période.",
            "ar": "العمال الذين أعيد تشغيلهم ÷ العقود التي تبدأ، خلال الفترة نفسها.",
            "en": "Workers re-hired ÷ contracts starting, over the same period.",
        },
        Ratio("seasonal_rehired", ("seasonal_contracts_signed",)),
    ),
    _i(
        "rights_checks",
        "seasonal",
        "count",
        {
            "fr": "Contrôles du respect des droits",
            "ar": "عمليات مراقبة احترام الحقوق",
            "en": "Workers' rights checks",
        },
        {
            "fr": "Contrôles effectués pendant la période par l'une ou l'autre partie : salaire versé, logement "
            "inspecté, durée du travail.",
            "ar": "عمليات المراقبة المنجزة خلال الفترة من أحد الطرفين: أداء الأجر، تفتيش السكن، مدة العمل.",
            "en": "Checks made during the period by either side: wage paid, housing inspected, working hours.",
        },
        DomainCount(_checks(Q())),
    ),
    _i(
        "rights_checks_noncompliant",
        "seasonal",
        "count",
        {"fr": "Contrôles non conformes", "ar": "عمليات مراقبة غير مطابقة", "en": "Non-compliant checks"},
        {
            "fr": "Contrôles de la période ayant constaté un manquement.",
            "ar": "عمليات المراقبة خلال الفترة التي سجلت إخلالاً.",
            "en": "Checks of the period that found a breach.",
        },
        DomainCount(_checks(Q(compliant=False))),
    ),
    _i(
        "complaints_filed",
        "seasonal",
        "count",
        {"fr": "Plaintes déposées", "ar": "الشكايات المودعة", "en": "Complaints filed"},
        {
            "fr": "Plaintes de travailleurs enregistrées pendant la période, par l'une ou l'autre partie.",
            "ar": "شكايات العمال المسجلة خلال الفترة من أحد الطرفين.",
            "en": "Workers' complaints recorded during the period, by either side.",
        },
        DomainCount(_complaints_filed),
    ),
    _i(
        "complaints_closed",
        "seasonal",
        "count",
        {
            "fr": "Plaintes closes avec une issue",
            "ar": "شكايات أغلقت بنتيجة",
            "en": "Complaints closed with an outcome",
        },
        {
            "fr": "Plaintes closes pendant la période, chacune avec son issue (fondée, réglée, non fondée, "
            "transmise), quelle que soit la date de dépôt.",
            "ar": "الشكايات المغلقة خلال الفترة، كل منها بنتيجتها (مؤسسة، مسواة، غير مؤسسة، محالة)، أياً كان تاريخ الإيداع.",
            "en": "Complaints closed during the period, each with its outcome (upheld, settled, dismissed, "
            "referred), whatever the date they were filed.",
        },
        DomainCount(_complaints_closed),
    ),
    _i(
        "complaints_open_end",
        "seasonal",
        "count",
        {
            "fr": "Plaintes en cours en fin de période",
            "ar": "شكايات قيد المعالجة في نهاية الفترة",
            "en": "Complaints open at the end of the period",
        },
        {
            "fr": "Stock au dernier jour de la période : plaintes déposées au plus tard ce jour et non closes à "
            "cette date.",
            "ar": "العدد القائم في آخر يوم من الفترة: الشكايات المودعة في هذا اليوم أو قبله وغير المغلقة في هذا التاريخ.",
            "en": "Stock on the period's last day: complaints filed on or before that day and not closed by then.",
        },
        DomainCount(_complaints_open),
    ),
]

IRREGULAR_RULE = {
    "fr": " Somme des chiffres déclarés par chaque partie, avec leur source, pour les trimestres entièrement "
    "compris dans la période ; chiffres en vigueur à la date du calcul (une correction remplace le chiffre "
    "précédent, qui reste consultable).",
    "ar": " مجموع الأرقام التي صرح بها كل طرف، مع مصدرها، عن الأرباع الواقعة بكاملها في الفترة؛ الأرقام السارية في تاريخ الاحتساب "
    "(يحل التصحيح محل الرقم السابق الذي يبقى قابلاً للاطلاع).",
    "en": " Sum of the figures each side reported, with their source, for the quarters lying wholly in the "
    "period; figures in force when computed (a correction replaces the previous figure, which is kept).",
}

IRREGULAR = [
    _i(
        "irregular_departures_prevented",
        "irregular",
        "count",
        {
            "fr": "Départs irréguliers empêchés",
            "ar": "محاولات الهجرة غير النظامية التي تم إحباطها",
            "en": "Irregular departures prevented",
        },
        _with(
            IRREGULAR_RULE,
            {
                "fr": "Tentatives de départ irrégulier empêchées.",
                "ar": "محاولات المغادرة غير النظامية التي تم منعها.",
                "en": "Irregular departure attempts prevented.",
            },
        ),
        DomainCount(_irregular(IrregularMeasure.DEPARTURES_PREVENTED)),
    ),
    _i(
        "irregular_networks_dismantled",
        "irregular",
        "count",
        {
            "fr": "Réseaux de passeurs démantelés",
            "ar": "شبكات التهريب التي تم تفكيكها",
            "en": "Smuggling networks dismantled",
        },
        _with(
            IRREGULAR_RULE,
            {
                "fr": "Réseaux de trafic de migrants démantelés.",
                "ar": "شبكات تهريب المهاجرين التي تم تفكيكها.",
                "en": "Migrant smuggling networks dismantled.",
            },
        ),
        DomainCount(_irregular(IrregularMeasure.NETWORKS_DISMANTLED)),
    ),
    _i(
        "irregular_interceptions",
        "irregular",
        "count",
        {"fr": "Interceptions", "ar": "عمليات الاعتراض", "en": "Interceptions"},
        _with(
            IRREGULAR_RULE,
            {
                "fr": "Personnes interceptées en mer ou à la frontière.",
                "ar": "الأشخاص الذين تم اعتراضهم في البحر أو على الحدود.",
                "en": "People intercepted at sea or at the border.",
            },
        ),
        DomainCount(_irregular(IrregularMeasure.INTERCEPTIONS)),
    ),
    _i(
        "irregular_arrivals",
        "irregular",
        "count",
        {
            "fr": "Arrivées irrégulières de ressortissants",
            "ar": "الوصول غير النظامي للمواطنين",
            "en": "Irregular arrivals of nationals",
        },
        _with(
            IRREGULAR_RULE,
            {
                "fr": "Arrivées irrégulières de ressortissants marocains constatées.",
                "ar": "حالات الوصول غير النظامي للمواطنين المغاربة التي تمت معاينتها.",
                "en": "Irregular arrivals of Moroccan nationals recorded.",
            },
        ),
        DomainCount(_irregular(IrregularMeasure.IRREGULAR_ARRIVALS)),
    ),
]


def _label(choices):
    def label(breakdown, key, lang):
        try:
            return str(choices(key).label)
        except ValueError:
            return key

    return label


def _row_label(breakdown, key, lang):
    return _label({"post": VisaPost, "level": StudyLevel, "sector": Sector, "side": Side}[breakdown])(
        breakdown, key, lang
    )


SETS = [
    (
        IndicatorSet(
            id="students",
            chapter="legal_mobility",
            title={"fr": "Mobilité étudiante", "ar": "تنقل الطلبة", "en": "Student mobility"},
            ids=tuple(i.id for i in STUDENTS),
            breakdowns={
                "post": {"fr": "poste", "ar": "المركز", "en": "post"},
                "level": {"fr": "niveau d'études", "ar": "المستوى الدراسي", "en": "level of study"},
            },
            row_label=_row_label,
        ),
        STUDENTS,
    ),
    (
        IndicatorSet(
            id="seasonal",
            chapter="legal_mobility",
            title={
                "fr": "Travailleurs saisonniers et migration circulaire",
                "ar": "العمال الموسميون والهجرة الدائرية",
                "en": "Seasonal workers and circular migration",
            },
            ids=tuple(i.id for i in SEASONAL),
            breakdowns={"sector": {"fr": "secteur", "ar": "القطاع", "en": "sector"}},
            row_label=_row_label,
        ),
        SEASONAL,
    ),
    (
        IndicatorSet(
            id="irregular",
            chapter="irregular_migration",
            title={"fr": "Migration irrégulière", "ar": "الهجرة غير النظامية", "en": "Irregular migration"},
            ids=tuple(i.id for i in IRREGULAR),
            breakdowns={"side": {"fr": "partie", "ar": "الطرف", "en": "side"}},
            row_label=_row_label,
        ),
        IRREGULAR,
    ),
]


def register_all() -> None:
    from gmmp.indicators import domains

    for indicator_set, indicators in SETS:
        if indicator_set.id not in domains.SETS:
            register_set(indicator_set, indicators)
