"""Text hygiene shared by the web forms and the API schemas: what no field may hold.

- control characters (NUL and the C0/C1 controls; tab and line breaks excepted), which some databases
  refuse and others store silently;
- bidirectional controls (embeddings, overrides, isolates, marks), which reorder what a reader sees:
  "‮gpj.exe" shows as "exe.jpg", a name can be shown other than it is stored;
- text made only of invisible characters (format characters, spaces): a name that shows as blank.

Each check returns the problem as a translated sentence (or None); each layer reports it its own way.
"""

import unicodedata

from django.utils.translation import gettext as _

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value: str) -> str | None:
    """None when `value` may be stored and shown as typed."""
    if not value:
        return None
    for char in value:
        if char in BIDI_CONTROLS:
            return _("Caractère de contrôle de sens d'écriture refusé (il peut masquer le vrai contenu).")
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs"):
            return _("Caractère de contrôle refusé.")
    if not any(unicodedata.category(char)[0] in "LNPS" for char in value):
        return _("Ce champ ne contient aucun caractère visible.")
    return None


def name_problem(value: str) -> str | None:
    """A person's or a place's name: clean text with at least one letter."""
    problem = text_problem(value)
    if problem or not value:
        return problem
    if not any(unicodedata.category(char).startswith("L") for char in value):
        return _("Un nom doit contenir au moins une lettre.")
    return None


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
