"""Answers of the engine to every request, written out so that two versions can be compared.

    .venv/bin/python bench/identification/fingerprint.py --people 200000 --out /tmp/fp-before.json
    ... change the engine ...
    .venv/bin/python bench/identification/fingerprint.py --people 200000 --out /tmp/fp-after.json --compare /tmp/fp-before.json

Same seeds as bench/identification/run.py (register 2025, requests 4242 unless --query-seed).
For each request: the top five national ids, their scores (to 1e-6 bits), bands and the
explanation's field outcomes; plus a digest of every index file of the generation (a change in
the import shows there). Exit status 1 when --compare finds a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

REGISTER_SEED = 2025
QUERY_SEED = 4242


def index_digest(store: Path) -> dict[str, str]:
    gen = store / (store / "CURRENT").read_text().strip()
    return {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:16]
        for f in sorted(gen.iterdir())
        if f.name != "meta.json"
    }


def answers(engine, queries) -> list[list]:  # noqa: ANN001
    out = []
    for q in queries:
        row = []
        for c in engine.search(q, limit=5):
            row.append(
                [
                    c.national_id,
                    round(c.score, 6),
                    c.band,
                    [(e.field, e.outcome, round(e.weight, 4)) for e in c.explanation],
                    c.why,
                ]
            )
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--query-seed", type=int, default=QUERY_SEED)
    parser.add_argument("--workdir", default="/tmp/gmmp-fingerprint")
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare")
    args = parser.parse_args()

    from gmmp.identification.engine import Engine, RegisterStore, generate_queries, generate_register
    from gmmp.identification.engine.batch import query_from_row, read_requests

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    register = work / f"register_{args.people}_{REGISTER_SEED}.csv"
    requests = work / f"requests_{args.people}_{args.requests}_{args.query_seed}.csv"
    if not register.exists():
        generate_register(args.people, REGISTER_SEED, register)
    if not requests.exists():
        generate_queries(
            args.people, REGISTER_SEED, args.requests, args.query_seed, requests, unregistered_share=0.3
        )
    store = work / f"store_{args.people}"
    shutil.rmtree(store, ignore_errors=True)
    RegisterStore(store).import_csv(register)
    engine = Engine.open(store)
    queries = [query_from_row(r) for r in read_requests(requests)]
    result = {"index": index_digest(store), "answers": answers(engine, queries)}
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    digest = hashlib.sha256(json.dumps(result["answers"]).encode()).hexdigest()
    print(f"{len(queries)} requests, answers digest {digest[:16]}")
    if args.compare:
        before = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        index_diff = sorted(
            k
            for k in before["index"].keys() | result["index"].keys()
            if before["index"].get(k) != result["index"].get(k)
        )
        answer_diff = [
            i
            for i, (a, b) in enumerate(zip(before["answers"], result["answers"], strict=True))
            if json.loads(json.dumps(a)) != json.loads(json.dumps(b))
        ]
        print(f"index files differing: {index_diff or 'none'}")
        print(f"requests answered differently: {len(answer_diff)} {answer_diff[:20]}")
        if index_diff or answer_diff:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
