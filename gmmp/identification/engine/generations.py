"""Generations of the register on disk: the pointer to the one in force, atomic publication.

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

import fcntl
import os
import shutil
from pathlib import Path

from .columns import Generation

KEEP_GENERATIONS = 2  # the one in force and the previous one, still mapped by slow readers


def current_path(directory: Path) -> Path | None:
    pointer = directory / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return directory / name


def current(directory: Path) -> Generation | None:
    path = current_path(directory)
    return Generation(path) if path else None


class exclusive_lock:
    """One import at a time per store (a second one waits)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.handle = self.path.open("a")
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def generation_names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("gen-*") if p.is_dir() and ".tmp-" not in p.name)


def next_generation_name(directory: Path) -> str:
    names = generation_names(directory)
    last = int(names[-1].split("-")[1]) if names else 0
    return f"gen-{last + 1:06d}"


def sweep_leftovers(directory: Path) -> None:
    """Remove what an import killed with -9 left: temporary generations, a torn pointer."""
    for tmp in directory.glob("gen-*.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
    (directory / "CURRENT.tmp").unlink(missing_ok=True)


def fsync_dir(path: Path) -> None:
    for file in path.iterdir():
        with file.open("rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(directory: Path, name: str) -> None:
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


def prune_generations(directory: Path, keep: int) -> None:
    current = (directory / "CURRENT").read_text(encoding="utf-8").strip()
    names = [n for n in generation_names(directory) if n != current]
    for old in names[: max(0, len(names) - (keep - 1))]:
        # Processes that still map these files keep reading them: unlinking does not unmap.
        shutil.rmtree(directory / old, ignore_errors=True)
