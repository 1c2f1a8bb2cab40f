"""The Arabic and English translations are complete, faithful to their placeholders and compiled.

French is the reference language: every msgid is French. gmmp/locale/<lang>/LC_MESSAGES holds the
.po (what translators edit) and the compiled .mo (what Django reads); both are committed so that a
fresh clone runs without gettext. Regenerate with, from gmmp/:
    ../.venv/bin/gmmp makemessages -l ar -l en --no-obsolete --ignore "identification/engine/*" --ignore "*/tests/*"
    ../.venv/bin/gmmp compilemessages
"""

import html
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "gmmp" / "locale"
LANGUAGES = ["ar", "en"]
NPLURALS = {"ar": 6, "en": 2}

# Arabic translations written without Arabic letters on purpose (everything else must contain some:
# a Latin-only Arabic msgstr is almost always French pasted in by mistake).
ARABIC_WITHOUT_ARABIC_LETTERS = {
    "GMMP",  # the group's public acronym, kept as the brand; the full Arabic name is the tagline
}

NAMED = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")
POSITIONAL = re.compile(r"%(?!\()[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")
BRACE = re.compile(r"\{(\w*)\}")
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgid!r} ({', '.join(p for p, _ in entry.occurrences[:2])})"


def _forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: each plural form is compared with the msgid it translates."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 and len(entry.msgstr_plural) == 2 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())
    ]


def _placeholders(text: str, flags: list[str]) -> tuple:
    named = positional = braces = ()
    if "python-format" in flags:
        named = tuple(sorted(set(NAMED.findall(text))))
        positional = tuple(sorted(POSITIONAL.findall(text)))
    if "python-brace-format" in flags:
        braces = tuple(sorted(set(BRACE.findall(text))))
    return named, positional, braces


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_declares_its_language_and_plural_rule(lang):
    po = _po(lang)
    assert po.metadata.get("Language") == lang
    assert f"nplurals={NPLURALS[lang]};" in po.metadata.get("Plural-Forms", "").replace(" ", "")
    assert not po.metadata_is_fuzzy, "a fuzzy header is dropped by msgfmt, and the plural rule with it"
    assert len(po) > 100, "the catalogue looks empty: was makemessages run from gmmp/?"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_in_every_plural_form(lang):
    untranslated = []
    for entry in _po(lang):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if len(forms) != NPLURALS[lang] or not all(text.strip() for text in forms.values()):
                untranslated.append(_label(entry))
        elif not entry.msgstr.strip():
            untranslated.append(_label(entry))
    assert not untranslated, f"{len(untranslated)} untranslated in {lang}: {untranslated[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_fuzzy(lang):
    fuzzy = [_label(e) for e in _po(lang) if "fuzzy" in e.flags and not e.obsolete]
    assert not fuzzy, f"fuzzy entries are not compiled, so they show in French: {fuzzy[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_of_each_translation_match_the_french(lang):
    wrong = []
    for entry in _po(lang):
        for source, text in _forms(entry):
            if _placeholders(source, entry.flags) != _placeholders(text, entry.flags):
                wrong.append(f"{_label(entry)} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_arabic_translations_are_written_in_arabic():
    latin_only = [
        f"{_label(e)} -> {text!r}"
        for e in _po("ar")
        for _, text in _forms(e)
        if text and not ARABIC_LETTER.search(text) and text not in ARABIC_WITHOUT_ARABIC_LETTERS
    ]
    assert not latin_only, "\n".join(latin_only)


def _messages(entries) -> dict:
    """(context, msgid) -> translation (a tuple of forms for a plural) of every compiled entry."""
    return {
        (entry.msgctxt, entry.msgid): (
            tuple(text for _, text in sorted(entry.msgstr_plural.items()))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
        if entry.msgid
        and not entry.obsolete
        and "fuzzy" not in entry.flags
        and (entry.msgstr or any(entry.msgstr_plural.values()))
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date_with_the_po(lang):
    """Django reads the .mo: one compiled from an older .po shows the old (or French) strings."""
    expected = _messages(_po(lang))
    compiled = _messages(polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo")))
    stale = sorted(str(k[1]) for k in expected.keys() ^ compiled.keys())
    stale += sorted(str(k[1]) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not stale, f"run `gmmp compilemessages` from gmmp/; differing entries: {stale[:20]}"


# --- The request form, rendered ------------------------------------------------------------------

FORM_SOURCES = (
    "www/templates/cases/form.html",
    "www/cases/forms.py",
    "cases/models.py",
    "cases/enums.py",
    "www/templates/www/base.html",
)
EXPECTED = {
    "ar": ["الاسم العائلي للأم", "الإرسال إلى القنصلية", "الهوية المصرح بها", "قرار الترحيل والاحتجاز"],
    "en": ["Mother's surname", "Submit to the consulate", "Declared identity", "Removal order and detention"],
}
KNOWN_FRENCH = [
    "Nom de la mère",
    "Transmettre au consulat",
    "Identité déclarée",
    "Enregistrer comme brouillon",
    "Mesure d'éloignement et rétention",
    "Se déconnecter",
]


def _text_nodes(page: str) -> set[str]:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = re.findall(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"', page)
    nodes = re.split(r"<[^>]+>", page) + attributes
    return {html.unescape(node).strip().rstrip(":").strip().casefold() for node in nodes if node.strip()}


def _french_labels_of_the_form(lang: str) -> set[str]:
    """French msgids used by the form's code whose translation differs from the French."""
    labels = set()
    for entry in _po(lang):
        if entry.msgid_plural or "python-format" in entry.flags:
            continue
        if not any(path.startswith(FORM_SOURCES) for path, _ in entry.occurrences):
            continue
        if entry.msgstr.casefold() != entry.msgid.casefold():
            labels.add(entry.msgid.casefold())
    return labels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_request_form_shows_no_french_in_arabic_or_english(client, personas, lang):
    client.force_login(personas["pref75_agent"])
    client.cookies["django_language"] = lang

    response = client.get("/cases/new/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{lang}"' in page
    assert ('dir="rtl"' in page) is (lang == "ar")
    nodes = _text_nodes(page)
    for text in EXPECTED[lang]:
        assert text.casefold() in nodes, f"{text!r} missing from the {lang} form"
    for french in KNOWN_FRENCH:
        assert french not in html.unescape(page), f"{french!r} left in French on the {lang} form"
    leftovers = sorted(nodes & _french_labels_of_the_form(lang))
    assert not leftovers, f"French left on the {lang} form: {leftovers}"
