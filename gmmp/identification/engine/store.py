"""The population register on disk: CSV import (idempotent upsert) and index build.

Layout of the store directory::

    CURRENT            name of the generation in force (switched with os.replace)
    gen-000001/        one complete generation: columns, vocabularies, blocking index
    gen-000002/
    rejects/           rejected rows of each import, with the reason

An import never touches the generation in force: it writes a new generation in a
temporary directory, renames it, then atomically replaces CURRENT. Killed at any point,
the register stays exactly as it was; the next import sweeps the leftovers.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .columns import (
    ARABIC_FIELDS,
    FORMAT_VERSION,
    KEY_FAMILIES,
    NAME_FIELDS,
    REQUIRED_COLUMNS,
    SEX_CODES,
    Generation,
    hash_key,
)
from .normalize import DateError, Knowledge, knowledge, parse_date, skeleton

KEEP_GENERATIONS = 2  # the one in force and the previous one, still mapped by slow readers
_NATIONAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")


class RegisterImportError(Exception):
    """The file cannot be imported at all (missing, not UTF-8, required columns absent)."""


@dataclass
class ImportReport:
    imported: int
    updated: int
    rejected: int
    rejects_path: Path | None
    unchanged: int = 0
    count: int = 0  # people in the register after the import
    generation: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        text = (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected; {self.count} people in the register ({self.seconds:.1f} s)"
        )
        if self.rejected and self.rejects_path:
            text += f"; rejected rows in {self.rejects_path}"
        return text


class RegisterStore:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    # -- reading ---------------------------------------------------------------------------
    def current_path(self) -> Path | None:
        pointer = self.directory / "CURRENT"
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.directory / name

    def generation(self) -> Generation | None:
        path = self.current_path()
        return Generation(path) if path else None

    def count(self) -> int:
        gen = self.generation()
        return gen.count if gen else 0

    def get(self, national_id: str) -> dict[str, str] | None:
        gen = self.generation()
        if gen is None:
            return None
        row = gen.row_of(national_id.strip())
        return None if row is None else gen.record(row)

    # -- import ----------------------------------------------------------------------------
    def import_csv(
        self,
        path: str | os.PathLike[str],
        rejects_path: str | os.PathLike[str] | None = None,
        progress: bool = False,
        *,
        _after_read: Callable[[], None] | None = None,
    ) -> ImportReport:
        """Upsert the people of ``path`` by national_id and switch to a new generation.

        ``_after_read`` is a test hook called between reading and publishing, to simulate
        an interruption at the worst moment.
        """
        started = time.monotonic()
        path = Path(path)
        header = _read_header(path)
        self.directory.mkdir(parents=True, exist_ok=True)
        with _exclusive_lock(self.directory / "import.lock"):
            _sweep_leftovers(self.directory)
            previous = self.generation()
            name = _next_generation_name(self.directory)
            tmp = self.directory / f"{name}.tmp-{os.getpid()}"
            tmp.mkdir()
            try:
                rejects = _Rejects(rejects_path, self.directory, path, header)
                table = _read_table(path, header, rejects, previous, progress)
                table.drop_duplicates(rejects)
                stats = table.merge_into(previous)
                if _after_read:
                    _after_read()
                _build_generation(tmp, table, knowledge())
                _fsync_dir(tmp)
                os.rename(tmp, self.directory / name)
                _publish(self.directory, name)
            except BaseException:
                # KeyboardInterrupt included: nothing was published, remove the half-built files.
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            finally:
                rejects.close()
            _prune_generations(self.directory, keep=KEEP_GENERATIONS)
        return ImportReport(
            imported=stats["imported"],
            updated=stats["updated"],
            unchanged=stats["unchanged"],
            rejected=rejects.count,
            rejects_path=rejects.path if rejects.count else (Path(rejects_path) if rejects_path else None),
            count=table.count,
            generation=name,
            seconds=time.monotonic() - started,
        )


# -- file checks and publication -------------------------------------------------------------
def _read_header(path: Path) -> list[str]:
    if not path.is_file():
        raise RegisterImportError(f"register file not found: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise RegisterImportError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not header:
        raise RegisterImportError(f"{path} is empty: a header row is required")
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegisterImportError(f"{path} lacks required column(s): {', '.join(missing)}")
    return header


class _exclusive_lock:
    """One import at a time per store (a second one waits)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.handle = self.path.open("a")
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _generation_names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("gen-*") if p.is_dir() and ".tmp-" not in p.name)


def _next_generation_name(directory: Path) -> str:
    names = _generation_names(directory)
    last = int(names[-1].split("-")[1]) if names else 0
    return f"gen-{last + 1:06d}"


def _sweep_leftovers(directory: Path) -> None:
    """Remove what an import killed with -9 left: temporary generations, a torn pointer."""
    for tmp in directory.glob("gen-*.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    (directory / "CURRENT.tmp").unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    for file in path.iterdir():
        with file.open("rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(directory: Path, name: str) -> None:
    pointer_tmp = directory / "CURRENT.tmp"
    with pointer_tmp.open("w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, directory / "CURRENT")
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune_generations(directory: Path, keep: int) -> None:
    current = (directory / "CURRENT").read_text(encoding="utf-8").strip()
    names = [n for n in _generation_names(directory) if n != current]
    for old in names[: max(0, len(names) - (keep - 1))]:
        # Processes that still map these files keep reading them: unlinking does not unmap.
        shutil.rmtree(directory / old, ignore_errors=True)


# -- rejects -----------------------------------------------------------------------------
class _Rejects:
    """The rejects CSV (the row as read, plus ``line`` and ``reason``), opened on first use."""

    def __init__(self, path: Any, directory: Path, source: Path, header: list[str]) -> None:
        if path is None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = directory / "rejects" / f"{source.stem}-{stamp}-rejects.csv"
        self.path = Path(path)
        self.header = header
        self.count = 0
        self._handle: Any = None
        self._writer: Any = None

    def add(self, line: int | None, values: list[str], reason: str) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow([*self.header, "line", "reason"])
        padded = (list(values) + [""] * len(self.header))[: len(self.header)]
        self._writer.writerow([*padded, "" if line is None else line, reason])
        self.count += 1

    def close(self) -> None:
        if self._handle:
            self._handle.close()


# -- reading the CSV into columns ---------------------------------------------------------------
class _Vocab:
    """Distinct strings, ids stable across generations (new strings are appended)."""

    def __init__(self, strings: list[str] | None = None) -> None:
        self.strings: list[str] = list(strings or [])
        self.ids: dict[str, int] = {s: i for i, s in enumerate(self.strings)}

    def lookup_table(self, values: list[str]) -> np.ndarray:
        out = np.empty(len(values), dtype=np.int32)
        for i, value in enumerate(values):
            if not value:
                out[i] = -1
                continue
            code = self.ids.get(value)
            if code is None:
                code = self.ids[value] = len(self.strings)
                self.strings.append(value)
            out[i] = code
        return out


INT_COLUMNS = {
    **{f: np.int32 for f in NAME_FIELDS},
    **{f: np.int32 for f in ARABIC_FIELDS},
    "birth_place": np.int32,
    "sex": np.int8,
    "birth_y": np.int16,
    "birth_m": np.int8,
    "birth_d": np.int8,
}


class _Table:
    """The register being built: integer columns plus national ids and vocabularies."""

    def __init__(self, previous: Generation | None) -> None:
        self.names = _Vocab(previous.names if previous else None)
        self.places = _Vocab(previous.places if previous else None)
        self.arabic = _Vocab(previous.arabic if previous else None)
        self.chunks: dict[str, list[np.ndarray]] = {c: [] for c in [*INT_COLUMNS, "nid", "line"]}
        self.columns: dict[str, np.ndarray] = {}
        self.nid: np.ndarray = np.empty(0, dtype="S1")
        self.count = 0

    def add(self, columns: dict[str, np.ndarray]) -> None:
        for name, values in columns.items():
            self.chunks[name].append(values)

    def finish_reading(self) -> None:
        for name, dtype in INT_COLUMNS.items():
            self.columns[name] = (
                np.concatenate(self.chunks[name]).astype(dtype) if self.chunks[name] else np.empty(0, dtype)
            )
        nids = self.chunks["nid"]
        width = max((a.dtype.itemsize for a in nids), default=1)
        self.nid = np.concatenate([a.astype(f"S{width}") for a in nids]) if nids else np.empty(0, dtype="S1")
        self.line = np.concatenate(self.chunks["line"]) if self.chunks["line"] else np.empty(0, np.int64)
        self.chunks = {}

    def drop_duplicates(self, rejects: _Rejects) -> None:
        """A national_id given twice in one file: the first row wins, the others are rejected."""
        self.finish_reading()
        if not len(self.nid):
            return
        _, first = np.unique(self.nid, return_index=True)
        keep = np.zeros(len(self.nid), dtype=bool)
        keep[first] = True
        for i in np.flatnonzero(~keep):
            rec = self._row_values(int(i))
            rejects.add(
                int(self.line[i]),
                [rec.get(h, "") for h in rejects.header],
                "duplicate national_id in file (first row kept)",
            )
        self.nid = self.nid[keep]
        self.line = self.line[keep]
        for name in INT_COLUMNS:
            self.columns[name] = self.columns[name][keep]

    def _row_values(self, i: int) -> dict[str, str]:
        rec = {"national_id": self.nid[i].decode("ascii")}
        for f in NAME_FIELDS:
            code = int(self.columns[f][i])
            rec[f] = self.names.strings[code] if code >= 0 else ""
        code = int(self.columns["birth_place"][i])
        rec["birth_place"] = self.places.strings[code] if code >= 0 else ""
        rec["sex"] = {0: "", 1: "M", 2: "F"}[int(self.columns["sex"][i])]
        y, m, d = (int(self.columns[c][i]) for c in ("birth_y", "birth_m", "birth_d"))
        rec["birth_date"] = (
            str(parse_date(f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else ""))) if y else ""
        )
        return rec

    def merge_into(self, previous: Generation | None) -> dict[str, int]:
        """Upsert: people already in ``previous`` are replaced in place, new ones appended."""
        n_new = len(self.nid)
        if previous is None or previous.count == 0:
            self.count = n_new
            return {"imported": n_new, "updated": 0, "unchanged": 0}
        old_sorted = np.asarray(previous.nid_sorted)
        width = max(old_sorted.dtype.itemsize, self.nid.dtype.itemsize)
        old_sorted = old_sorted.astype(f"S{width}")
        new_nid = self.nid.astype(f"S{width}")
        pos = np.searchsorted(old_sorted, new_nid)
        pos_clipped = np.minimum(pos, len(old_sorted) - 1)
        found = old_sorted[pos_clipped] == new_nid
        old_rows = np.asarray(previous.nid_sorted_row)[pos_clipped[found]]
        merged: dict[str, np.ndarray] = {}
        changed = np.zeros(int(found.sum()), dtype=bool)
        for name, dtype in INT_COLUMNS.items():
            base = np.array(getattr(previous, name), dtype=dtype)
            incoming = self.columns[name]
            changed |= base[old_rows] != incoming[found]
            base[old_rows] = incoming[found]
            merged[name] = np.concatenate([base, incoming[~found]])
        self.columns = merged
        self.nid = np.concatenate([np.asarray(previous.nid).astype(f"S{width}"), new_nid[~found]])
        self.count = len(self.nid)
        return {
            "imported": int((~found).sum()),
            "updated": int(changed.sum()),
            "unchanged": int((~changed).sum()),
        }


class _ProgressFile:
    """A binary file whose reads advance a tqdm bar (only when a progress bar is asked for)."""

    def __init__(self, path: Path) -> None:
        from tqdm import tqdm  # optional: only the terminal command needs it

        self._file = path.open("rb")
        self._bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc="import")
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._bar.update(len(data))
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._bar.close()
        self._file.close()
        self.closed = True


def _read_table(
    path: Path, header: list[str], rejects: _Rejects, previous: Generation | None, progress: bool
) -> _Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = _Table(previous)
    malformed: list[Any] = []

    def on_invalid_row(row: Any) -> str:
        malformed.append(row)
        return "skip"

    read_options = pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=32 << 20, encoding="utf8")
    parse_options = pacsv.ParseOptions(newlines_in_values=False, invalid_row_handler=on_invalid_row)
    convert_options = pacsv.ConvertOptions(
        column_types={h: pa.string() for h in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        check_utf8=True,
    )
    source: Any = _ProgressFile(path) if progress else str(path)
    line = 2  # the first data line of the file (header is line 1)
    try:
        reader = pacsv.open_csv(
            source, read_options=read_options, parse_options=parse_options, convert_options=convert_options
        )
        for batch in _batches(reader):
            table.add(_encode_batch(batch, header, line, table, rejects))
            line += batch.num_rows
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "utf8" in str(exc).lower():
            raise RegisterImportError(f"{path} is not UTF-8 text: {exc}") from exc
        raise RegisterImportError(f"{path} cannot be read as CSV: {exc}") from exc
    finally:
        if progress:
            source.close()
    for row in malformed:
        values = next(csv.reader([row.text]), [])
        rejects.add(
            row.number if row.number and row.number > 0 else None,
            values,
            f"malformed row: {row.expected_columns} columns expected, {row.actual_columns} found",
        )
    return table


def _batches(reader: Any) -> Iterator[Any]:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return


def _encode_batch(
    batch: Any, header: list[str], first_line: int, table: _Table, rejects: _Rejects
) -> dict[str, np.ndarray]:
    """Validate and encode one batch of rows; rejected rows go to the rejects file."""
    import pyarrow.compute as pc

    n = batch.num_rows
    col = {name: pc.utf8_trim_whitespace(batch.column(i)) for i, name in enumerate(header)}
    reasons: list[str | None] = [None] * n

    def reject_where(mask: np.ndarray, reason: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask):
            if reasons[i] is None:
                reasons[i] = reason(int(i))

    nid_values = col["national_id"]
    nid_codes, nid_dict = _dictionary(nid_values)
    nid_ok = (
        np.array([bool(_NATIONAL_ID.match(v)) for v in nid_dict], dtype=bool)[nid_codes]
        if n
        else np.zeros(0, bool)
    )
    reject_where(
        ~nid_ok,
        lambda i: (
            "missing national_id"
            if not nid_dict[nid_codes[i]]
            else f"invalid national_id {nid_dict[nid_codes[i]]!r}"
        ),
    )

    sex_codes, sex_dict = _dictionary(col["sex"])
    sex_lut = np.array([SEX_CODES.get(v.upper(), -1) for v in sex_dict], dtype=np.int8)
    sex = sex_lut[sex_codes] if n else np.zeros(0, np.int8)
    reject_where(sex < 0, lambda i: f"invalid sex {sex_dict[sex_codes[i]]!r} (expected M, F or empty)")

    date_codes, date_dict = _dictionary(col["birth_date"])
    ymd = np.zeros((len(date_dict), 3), dtype=np.int16)
    date_error: dict[int, str] = {}
    for k, text in enumerate(date_dict):
        try:
            d = parse_date(text)
            ymd[k] = (d.year, d.month, d.day)
        except DateError as exc:
            date_error[k] = f"invalid birth_date: {exc}"
    if date_error:
        bad = np.isin(date_codes, np.fromiter(date_error, dtype=np.int64))
        reject_where(bad, lambda i: date_error[int(date_codes[i])])

    names = {}
    for field in NAME_FIELDS:
        codes, values = _dictionary(col[field])
        names[field] = table.names.lookup_table(values)[codes] if n else np.zeros(0, np.int32)
    reject_where(
        (names["first_name"] < 0) & (names["last_name"] < 0), lambda i: "no first_name nor last_name"
    )

    place_codes, place_values = _dictionary(col["birth_place"])
    places = table.places.lookup_table(place_values)[place_codes] if n else np.zeros(0, np.int32)
    arabic = {}
    for field in ARABIC_FIELDS:
        if field in col:
            codes, values = _dictionary(col[field])
            arabic[field] = table.arabic.lookup_table(values)[codes]
        else:
            arabic[field] = np.full(n, -1, dtype=np.int32)

    ok = np.array([r is None for r in reasons], dtype=bool)
    if not ok.all():
        bad_rows = batch.take(np.flatnonzero(~ok)).to_pylist()
        for row, i in zip(bad_rows, np.flatnonzero(~ok), strict=True):
            rejects.add(first_line + int(i), [row.get(h, "") for h in header], reasons[i] or "")
    nid_array = np.array(nid_dict, dtype=object)[nid_codes[ok]].astype("S") if ok.any() else np.empty(0, "S1")
    dates = ymd[date_codes] if n else np.zeros((0, 3), np.int16)
    return {
        **{f: names[f][ok] for f in NAME_FIELDS},
        **{f: arabic[f][ok] for f in ARABIC_FIELDS},
        "birth_place": places[ok],
        "sex": sex[ok],
        "birth_y": dates[ok, 0],
        "birth_m": dates[ok, 1].astype(np.int8),
        "birth_d": dates[ok, 2].astype(np.int8),
        "nid": nid_array,
        "line": (first_line + np.flatnonzero(ok)).astype(np.int64),
    }


def _dictionary(array: Any) -> tuple[np.ndarray, list[str]]:
    """Distinct values and the index of each row's value: Python work only per distinct value."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array)
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


# -- building the index -------------------------------------------------------------------------
def _build_generation(out: Path, table: _Table, kb: Knowledge) -> None:
    started = time.monotonic()
    cols = table.columns
    n = table.count

    keys = _Vocab()
    key_id = lambda s: keys.ids.get(s) if s in keys.ids else keys.lookup_table([s])[0]  # noqa: E731
    # Per spelling: norm, canon, skeleton, canon of first and last word, skeleton of first
    # word, initial.
    name_features = np.full((max(len(table.names.strings), 1), 7), -1, dtype=np.int32)
    for i, text in enumerate(table.names.strings):
        k = kb.name_key(text)
        parts = k.parts or (k.canon,)
        name_features[i] = (
            key_id(k.norm),
            key_id(k.canon),
            key_id(k.skel),
            key_id(parts[0]),
            key_id(parts[-1]),
            key_id(skeleton(parts[0])),
            key_id(k.norm[:1]),
        )
    place_features = np.full((max(len(table.places.strings), 1), 2), -1, dtype=np.int32)
    for i, text in enumerate(table.places.strings):
        p = kb.place_key(text)
        place_features[i] = (key_id(p.norm), key_id(p.canon))

    def name_feature(field: str, which: int) -> np.ndarray:
        codes = cols[field]
        return np.where(codes >= 0, name_features[np.maximum(codes, 0), which], -1).astype(np.int32)

    skel = {f: name_feature(f, 2) for f in NAME_FIELDS}
    # A compound given name (Hanane Nadia) is often shortened to its first word on requests.
    skel["first_name"] = name_feature("first_name", 5)
    canon = {f: name_feature(f, 1) for f in NAME_FIELDS}
    place_canon = np.where(
        cols["birth_place"] >= 0, place_features[np.maximum(cols["birth_place"], 0), 1], -1
    ).astype(np.int32)

    arrays: dict[str, np.ndarray] = dict(cols)
    arrays["names_feat"] = name_features
    arrays["places_feat"] = place_features
    # Term frequencies: agreeing on "Mohamed" says less than agreeing on "Zniber".
    n_keys = max(len(keys.strings), 1)
    for field in NAME_FIELDS:
        arrays[f"tf_{field}"] = _frequencies(canon[field], n_keys)
    arrays["tf_birth_place"] = _frequencies(place_canon, n_keys)
    date_code = np.where(
        cols["birth_d"] > 0,
        cols["birth_y"].astype(np.int32) * 10000 + cols["birth_m"].astype(np.int32) * 100 + cols["birth_d"],
        -1,
    )
    arrays["tf_birth_date"] = np.array(
        [_date_agreement_rate(date_code), _year_agreement_rate(cols["birth_y"])], dtype=np.float64
    )
    year = np.where(cols["birth_y"] > 0, cols["birth_y"].astype(np.int32), -1)
    components = {
        "first": skel["first_name"],
        "last": skel["last_name"],
        "father": skel["father_first_name"],
        "mother_first": skel["mother_first_name"],
        "mother_last": skel["mother_last_name"],
        "year": year,
        "date": date_code.astype(np.int32),
        "place": place_canon,
        "initial": name_feature("first_name", 6),
    }
    rows = np.arange(n, dtype=np.uint32)
    for family, parts in KEY_FAMILIES.items():
        present = np.ones(n, dtype=bool)
        for part in parts:
            present &= components[part] >= 0
        h = hash_key(family, [components[p][present] for p in parts])
        order = np.argsort(h, kind="stable")
        # Written at once rather than kept: twenty families of ten million keys would
        # otherwise all sit in memory together.
        np.save(out / f"blk_{family}_keys.npy", h[order])
        np.save(out / f"blk_{family}_rows.npy", rows[present][order])
        del h, order, present

    arrays["nid"] = table.nid
    order = np.argsort(table.nid, kind="stable")
    arrays["nid_sorted"] = table.nid[order]
    arrays["nid_sorted_row"] = order.astype(np.uint32)

    for name, array in arrays.items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(array))
    for name, vocab in (
        ("names", table.names),
        ("places", table.places),
        ("arabic", table.arabic),
        ("keys", keys),
    ):
        (out / f"vocab_{name}.json").write_text(
            json.dumps(vocab.strings, ensure_ascii=False), encoding="utf-8"
        )
    meta = {
        "format": FORMAT_VERSION,
        "count": n,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.monotonic() - started, 3),
        "key_families": list(KEY_FAMILIES),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _frequencies(codes: np.ndarray, size: int) -> np.ndarray:
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=size).astype(np.float64)
    return (counts / max(len(present), 1)).astype(np.float32)


def _date_agreement_rate(date_code: np.ndarray) -> float:
    """Chance that two people drawn at random share the full date of birth (sum of p²)."""
    present = date_code[date_code >= 0]
    if not len(present):
        return 1e-4
    _, counts = np.unique(present, return_counts=True)
    p = counts / counts.sum()
    return float(max((p * p).sum(), 1e-6))


def _year_agreement_rate(years: np.ndarray) -> float:
    present = years[years > 0]
    if not len(present):
        return 0.02
    counts = np.bincount(present - present.min())
    p = counts[counts > 0] / len(present)
    return float(max((p * p).sum(), 1e-4))
