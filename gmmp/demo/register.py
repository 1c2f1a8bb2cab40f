"""A fictitious population register for the demo, imported into the engine's index."""

import csv
import random

from django.conf import settings

from gmmp.identification.engine import RegisterStore, generate_register

DEMO_REGISTER_PEOPLE = 20_000


def demo_register_prepare(*, people: int = DEMO_REGISTER_PEOPLE, seed: int = 7) -> tuple[int, list[dict]]:
    """Generate and import the demo register if the register is empty; return (size, a sample of people)."""
    path = settings.DATA_DIR / "demo-register.csv"
    store = RegisterStore(settings.REGISTER_DIR)
    if store.count() == 0:
        generate_register(people, seed, path)
        store.import_csv(path, rejects_path=settings.DATA_DIR / "demo-register-rejects.csv")
    sample = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        sample = random.Random(seed).sample(rows, min(2000, len(rows)))
    return store.count(), sample
