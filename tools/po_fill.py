"""Fill the untranslated entries of a catalogue from other versions of it (after a merge).

When two branches both add strings, keep one side's .po, run `make messages` (which merges the new
msgids in), then take the missing translations from the other side's file:

    git show OTHER:gmmp/locale/ar/LC_MESSAGES/django.po > /tmp/ar.po
    python tools/po_fill.py gmmp/locale/ar/LC_MESSAGES/django.po /tmp/ar.po

Fuzzy entries made by msgmerge are replaced by an exact translation when a donor has one.
"""

import sys

import polib


def fill(target_path: str, donor_paths: list[str]) -> int:
    target = polib.pofile(target_path, wrapwidth=0)
    known: dict[tuple[str, str], polib.POEntry] = {}
    for path in donor_paths:
        for entry in polib.pofile(path):
            if entry.translated() and "fuzzy" not in entry.flags:
                known.setdefault((entry.msgctxt or "", entry.msgid), entry)
    filled = 0
    for entry in target:
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        donor = known.get((entry.msgctxt or "", entry.msgid))
        if donor is None:
            continue
        entry.msgstr = donor.msgstr
        entry.msgstr_plural = dict(donor.msgstr_plural)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        filled += 1
    target.save(target_path)
    return filled


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python tools/po_fill.py TARGET.po DONOR.po [DONOR.po ...]")
    print(f"{fill(sys.argv[1], sys.argv[2:])} entries filled")
