"""Reading a register CSV: header checks, rejected rows, streaming batches through pyarrow."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .columns import REQUIRED_COLUMNS, Generation
from .encoding import Table, encode_batch


class RegisterImportError(Exception):
    """The file cannot be imported at all (missing, not UTF-8, required columns absent)."""


def read_header(path: Path) -> list[str]:
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


# -- rejects -----------------------------------------------------------------------------
class Rejects:
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


def read_table(
    path: Path, header: list[str], rejects: Rejects, previous: Generation | None, progress: bool
) -> Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = Table(previous)
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
            table.add(encode_batch(batch, header, line, table, rejects))
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
