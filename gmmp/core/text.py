"""Text hygiene shared by the web forms and the API schemas: what no field may hold.

- control characters (NUL and the C0/C1 controls; tab and line breaks excepted), which some databases
  refuse and others store silently;
- bidirectional controls (embeddings, overrides, isolates, marks), which reorder what a reader sees:
  "‮gpj.exe" shows as "exe.jpg", a name can be shown other than it is stored;
- text made only of invisible characters (format characters, spaces): a name that shows as blank.

Each check returns the problem as a translated sentence (or None); each layer reports it its own way.
The same definitions give the API's schemas their `pattern` (`text_pattern`): one rule, two uses.
"""

import functools
import unicodedata

from django.utils.translation import gettext as _

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_REFUSED_CATEGORIES = ("Cc", "Cs")  # controls and lone surrogates (tab and line breaks excepted)
VISIBLE_CATEGORIES = ("L", "N", "P", "S")  # letters, numbers, punctuation, symbols: what a reader sees
LETTER_CATEGORIES = ("L",)


def char_refused(char: str) -> bool:
    return char in BIDI_CONTROLS or (
        char not in _ALLOWED_CONTROLS and unicodedata.category(char) in _REFUSED_CATEGORIES
    )


def char_visible(char: str) -> bool:
    return unicodedata.category(char)[0] in VISIBLE_CATEGORIES


def char_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in LETTER_CATEGORIES


def text_problem(value: str) -> str | None:
    """None when `value` may be stored and shown as typed."""
    if not value:
        return None
    for char in value:
        if char in BIDI_CONTROLS:
            return _("Caractère de contrôle de sens d'écriture refusé (il peut masquer le vrai contenu).")
        if char_refused(char):
            return _("Caractère de contrôle refusé.")
    if not any(char_visible(char) for char in value):
        return _("Ce champ ne contient aucun caractère visible.")
    return None


def name_problem(value: str) -> str | None:
    """A person's or a place's name: clean text with at least one letter."""
    problem = text_problem(value)
    if problem or not value:
        return problem
    if not any(char_letter(char) for char in value):
        return _("Un nom doit contenir au moins une lettre.")
    return None


# What the API strips around a value before the check (pydantic's `strip_whitespace`, Rust's `trim`: the
# Unicode White_Space property, which unlike Python's `str.isspace` leaves U+001C..U+001F).
WHITE_SPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _char_class(chars) -> str:
    """A regex class body for `chars` (all in the BMP), as ranges: `\\x00-\\x08\\x0b...`."""
    codes, body = sorted(ord(c) for c in chars), []
    while codes:
        start = end = codes.pop(0)
        while codes and codes[0] == end + 1:
            end = codes.pop(0)
        body.append(_escape(start) if start == end else f"{_escape(start)}-{_escape(end)}")
    return "".join(body)


@functools.cache
def refused_class() -> str:
    """The refused characters as a regex class body, for patterns of their own. Controls and bidi
    controls all lie in the BMP (tests/core/test_text_pattern.py tries every character)."""
    return _char_class(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and char_refused(chr(c)))


def white_space_class() -> str:
    """`WHITE_SPACE` as a regex class body, for patterns of their own."""
    return _char_class(WHITE_SPACE)


def blank_pattern() -> str:
    """Nothing but white space (what the API strips to nothing): a field left empty."""
    return f"^[{white_space_class()}]*$"


@functools.cache
def text_pattern(*, required: bool = False, name: bool = False) -> str:
    """`text_problem` (or `name_problem`) as a JSON-schema `pattern` (ECMA-262, Unicode mode) over the
    value as sent, surrounding White_Space included (stripped before the check): optional white space,
    then (unless `required`, possibly nothing) text with no refused character and at least one visible
    character (a letter for a name), then optional white space. Lone surrogates are left out: a JSON
    string holding one cannot be read by a schema validator either. Equivalence with the check, every
    character in turn: tests/core/test_text_pattern.py."""
    space, other = f"[{white_space_class()}]*", f"[^{refused_class()}]*"
    needed = "".join(f"\\p{{{c}}}" for c in (LETTER_CATEGORIES if name else VISIBLE_CATEGORIES))
    core = f"{other}[{needed}]{other}"
    return f"^{space}{core if required else f'(?:{core})?'}{space}$"


def filename_neutralise(name: str) -> str:
    """A file name safe to store and to send back: no directory, no control or bidi character, no
    invisible-only name (then "file")."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        c
        for c in name
        if c not in BIDI_CONTROLS and unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
    ).strip()
    return kept[:200] or "file"
