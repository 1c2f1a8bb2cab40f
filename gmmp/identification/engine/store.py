"""The population register on disk: ``RegisterStore`` imports a CSV (idempotent upsert by
national_id) into a new generation and reads the one in force.

    reading.py      the CSV: header checks, rejected rows, streaming batches (pyarrow)
    encoding.py     integer columns, vocabularies stable across generations, the upsert
    indexing.py     per-spelling features, term frequencies, blocking key arrays
    generations.py  the directory layout, the lock, atomic publication, pruning
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .columns import Generation
from .generations import (
    KEEP_GENERATIONS,
    current,
    current_path,
    exclusive_lock,
    fsync_dir,
    next_generation_name,
    prune_generations,
    publish,
    sweep_leftovers,
)
from .indexing import build_generation
from .model import Model
from .normalize import knowledge
from .reading import RegisterImportError, Rejects, read_header, read_table

__all__ = ["ImportReport", "RegisterImportError", "RegisterStore"]


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
        return current_path(self.directory)

    def generation(self) -> Generation | None:
        return current(self.directory)

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
        header = read_header(path)
        self.directory.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.directory / "import.lock"):
            sweep_leftovers(self.directory)
            previous = self.generation()
            name = next_generation_name(self.directory)
            tmp = self.directory / f"{name}.tmp-{os.getpid()}"
            tmp.mkdir()
            try:
                rejects = Rejects(rejects_path, self.directory, path, header)
                table = read_table(path, header, rejects, previous, progress)
                table.drop_duplicates(rejects)
                stats = table.merge_into(previous)
                if _after_read:
                    _after_read()
                build_generation(tmp, table, knowledge())
                _calibrate(self.directory, tmp)
                fsync_dir(tmp)
                os.rename(tmp, self.directory / name)
                publish(self.directory, name)
            except BaseException:
                # KeyboardInterrupt included: nothing was published, remove the half-built files.
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            finally:
                rejects.close()
            prune_generations(self.directory, keep=KEEP_GENERATIONS)
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


def _calibrate(directory: Path, generation: Path) -> None:
    """The strong bar of the new generation, measured on its own people (calibration.py), for the
    model the engine will open it with (a model.json in the register directory, else the packaged one)."""
    from .calibration import calibrate, write
    from .engine import Engine

    local = directory / "model.json"
    engine = Engine(
        directory, Generation(generation), Model.load(local if local.exists() else None), knowledge()
    )
    write(generation, calibrate(engine))
