"""The printed laissez-passer: HTML → PDF with WeasyPrint (Pango shapes the Arabic, right to left).

The document is bilingual by nature, whatever the reader's interface language: its French and Arabic
wording is the issuing authority's form, so it is kept here as fixed pairs and not in the interface
translations (which would follow the user's language).
"""

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from gmmp.core import clock
from gmmp.organisations.enums import Side

from .models import LaissezPasser
from .selectors import lpc_photo_data_uri

# (French, Arabic) — the form's fixed wording.
LABELS = {
    "kingdom": ("Royaume du Maroc", "المملكة المغربية"),
    "title": ("Laissez-passer consulaire", "جواز مرور قنصلي"),
    "one_way": ("Valable pour un seul voyage", "صالح لسفر واحد فقط"),
    "number": ("Numéro", "الرقم"),
    "last_name": ("Nom", "الاسم العائلي"),
    "first_names": ("Prénom(s)", "الاسم الشخصي"),
    "name_ar": ("Nom en arabe", "الاسم بالعربية"),
    "birth_date": ("Date de naissance", "تاريخ الازدياد"),
    "birth_place": ("Lieu de naissance", "مكان الازدياد"),
    "sex": ("Sexe", "الجنس"),
    "nationality": ("Nationalité", "الجنسية"),
    "destination": ("Destination", "الوجهة"),
    "valid_from": ("Valable du", "صالح ابتداء من"),
    "valid_to": ("Valable jusqu'au", "صالح إلى غاية"),
    "issued_by": ("Autorité de délivrance", "سلطة التسليم"),
    "issued_on": ("Délivré le", "تاريخ التسليم"),
    "officer": ("L'agent consulaire", "الموظف القنصلي"),
    "check_code": ("Code de contrôle", "رمز المراقبة"),
    "photo_frame": ("Photo à apposer et à cacheter", "توضع الصورة ويختم عليها"),
    "seal": ("Cachet et signature", "الخاتم والتوقيع"),
    "notice": (
        "Ce document permet à son titulaire, ressortissant marocain, un seul voyage à destination du Maroc. "
        "Il ne constitue pas une pièce d'identité et est retiré à l'arrivée.",
        "تسمح هذه الوثيقة لحاملها، المواطن المغربي، بسفر واحد إلى المغرب. "
        "ولا تعتبر وثيقة هوية، وتسحب عند الوصول.",
    ),
    "verify": (
        "Vérification : scanner le code QR (cachet électronique signé) ou saisir le numéro et le code de contrôle sur",
        "التحقق: امسح رمز الاستجابة السريعة (خاتم إلكتروني موقع) أو أدخل الرقم ورمز المراقبة على",
    ),
}
NATIONALITY = ("Marocaine", "مغربية")
SEX = {"M": ("Masculin", "ذكر"), "F": ("Féminin", "أنثى")}
DESTINATION_AR = {"Maroc": "المغرب"}


def partial_date(value: str) -> str:
    """1994 → 1994, 1994-03 → 03/1994, 1994-03-07 → 07/03/1994 (dates of birth are often partial)."""
    parts = (value or "").split("-")
    return "/".join(reversed(parts)) if value else "—"


def _qr_svg(seal: str) -> str:
    # Level M survives a crease or a stain; the seal fits in alphanumeric mode (base32).
    return segno.make(seal, error="m", micro=False).svg_data_uri(scale=1, border=4, dark="#000")


_fonts = None


def _font_config():
    # One font configuration per process: building it reads the system fonts (tens of milliseconds).
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def lpc_html(lpc: LaissezPasser, *, verify_url: str) -> str:
    consulate = lpc.consulate
    issued_local = timezone.localtime(lpc.issued_at)
    sex = SEX.get(lpc.holder_sex)
    context = {
        "lpc": lpc,
        "L": LABELS,
        "consulate_fr": consulate.name,
        "consulate_ar": consulate.name_ar or consulate.name,
        "is_moroccan_issuer": consulate.side == Side.MA,
        "birth_date": partial_date(lpc.holder_birth_date),
        "valid_from": lpc.valid_from.strftime("%d/%m/%Y"),
        "valid_to": lpc.valid_to.strftime("%d/%m/%Y"),
        "issued_on": issued_local.strftime("%d/%m/%Y"),
        "sex": sex,
        "nationality": NATIONALITY,
        "destination_ar": DESTINATION_AR.get(lpc.destination, lpc.destination),
        "officer": lpc.issued_by.get_full_name() or lpc.issued_by.username,
        "photo": lpc_photo_data_uri(lpc),
        "qr": _qr_svg(lpc.seal) if lpc.seal else "",  # cut by retention once anonymised
        "verify_url": verify_url,
        "generated_at": clock.now(),
    }
    return render_to_string("documents/lpc.html", context)


def lpc_pdf(lpc: LaissezPasser, *, verify_url: str) -> bytes:
    from weasyprint import HTML

    html = lpc_html(lpc, verify_url=verify_url)
    return HTML(string=html).write_pdf(font_config=_font_config())
