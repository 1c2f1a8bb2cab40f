"""Fill a PostgreSQL database with N cases and 10 ledger events each, in bulk SQL (no ORM, no actions).

usage: DATABASE_URL=postgres://... .venv/bin/python bench/indicators/generate.py [--cases 1000000]

Cases are spread over 2022-2024 (requests sent uniformly over 36 months), each with exactly ten events
whose kinds follow a plausible path: created, submit, interview, decision (75 % identified, 15 % not
national, 10 % not established), LPC (for the identified), departure scheduled, a failed attempt for
one in five, departure, readmission, close. 70 % were in detention (90-day end date).
Hashes are placeholders: the benchmark reads the indicators, it does not verify the chain.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def not_null_defaults(table: str, given: set[str]) -> dict[str, str]:
    """SQL literals for NOT NULL columns the script does not set (Django puts no defaults in the schema)."""
    with connection.cursor() as cur:
        cur.execute(
            """select column_name, data_type from information_schema.columns
                       where table_name = %s and is_nullable = 'NO' and column_default is null""",
            [table],
        )
        out = {}
        for name, kind in cur.fetchall():
            if name in given:
                continue
            out[name] = {
                "boolean": "false",
                "jsonb": "'{}'::jsonb",
                "integer": "0",
                "bigint": "0",
                "smallint": "0",
                "date": "'2000-01-01'",
            }.get(kind, "''")
        return out


def defaults_sql(table: str, given: set[str]) -> tuple[str, str]:
    """`, col, col…` and `, value, value…` for the NOT NULL columns an INSERT does not set."""
    extra = not_null_defaults(table, given)
    return "".join(f", {c}" for c in extra), "".join(f", {v}" for v in extra.values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("select count(*) from cases_caseevent")
        if cur.fetchone()[0]:
            print("events already present: nothing to do")
            return
        cur.execute("""insert into organisations_user (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined, role, preferred_language)
                       values ('!', false, 'bench', '', '', '', false, true, now(), '', '')
                       on conflict (username) do nothing""")
        cur.execute("select id from organisations_user where username = 'bench'")
        user_id = cur.fetchone()[0]
        given_cases = {
            "id",
            "reference",
            "state",
            "prefecture_id",
            "consulate_id",
            "created_by_id",
            "created_at",
            "submitted_at",
            "removal_order_reference",
            "removal_order_date",
            "detention_start",
            "detention_end",
            "updated_at",
        }
        extra_cols, extra_vals = defaults_sql("cases_case", given_cases)
        print(f"cases: {args.cases:,} …", flush=True)
        cur.execute(f"""
            create temporary table bench_orgs as
            select row_number() over (order by p.id) - 1 as n, p.id as prefecture_id,
                   (array(select id from organisations_organisation where kind = 'consulate' order by id))
                       [1 + ((row_number() over (order by p.id)) % 17)] as consulate_id
            from organisations_organisation p where p.kind = 'prefecture';
            insert into cases_case (id, reference, state, prefecture_id, consulate_id, created_by_id, created_at,
                                    submitted_at, removal_order_reference, removal_order_date, detention_start,
                                    detention_end, updated_at{extra_cols})
            select g, 'B-' || g, 'closed', o.prefecture_id, o.consulate_id, {user_id},
                   t0 - interval '1 day', t0, 'OQTF-' || g, t0::date - 30,
                   case when g % 10 < 7 then t0::date - 2 end,
                   case when g % 10 < 7 then t0::date + 88 end, t0{extra_vals}
            from (select g, timestamptz '2022-01-01' + (((g::bigint * 7919) % {args.cases})::float / {args.cases})
                            * interval '1096 days' as t0
                  from generate_series(1, {args.cases}) g) s
            join bench_orgs o on o.n = g % (select count(*) from bench_orgs);
            select setval(pg_get_serial_sequence('cases_case', 'id'), {args.cases});
        """)
        print(f"  {time.perf_counter() - t0:.0f}s; events: {args.cases * 10:,} …", flush=True)
        cur.execute("alter table cases_caseevent disable trigger user")
        # Delays in days: decision 2-61 after submit, LPC 1-20 after, departure 3-30 after LPC.
        cur.execute("""
            insert into cases_caseevent (case_id, sequence, at, kind, from_state, to_state, actor_id,
                actor_organisation_id, actor_side, reason, comment, details, prefecture_id, consulate_id,
                detention_end, prev_hash, hash)
            select c.id, s.seq,
                   c.submitted_at + case s.seq
                       when 1 then interval '-1 day' when 2 then interval '0'
                       when 3 then interval '1 day' * (1 + c.id % 3)
                       when 4 then interval '1 day' * (2 + c.id % 60)
                       when 5 then interval '1 day' * (2 + c.id % 60 + 1 + c.id % 20)
                       else interval '1 day' * (2 + c.id % 60 + 1 + c.id % 20 + 3 + (c.id / 7) % 28) + interval '1 hour' * s.seq
                   end,
                   case s.seq
                       when 1 then 'created' when 2 then 'submit' when 3 then 'schedule_interview' when 4 then 'decide'
                       when 5 then case when c.id % 20 < 15 then 'issue_laissez_passer' else 'close' end
                       when 6 then case when c.id % 20 < 15 then 'schedule_departure' else 'evidence_added' end
                       when 7 then case when c.id % 20 < 15 then 'record_departure' else 'evidence_added' end
                       when 8 then case when c.id % 20 < 15 and c.id % 5 = 0 then 'schedule_departure'
                                        when c.id % 20 < 15 then 'confirm_readmission' else 'evidence_added' end
                       when 9 then case when c.id % 20 < 15 and c.id % 5 = 0 then 'record_departure' else 'evidence_added' end
                       else case when c.id % 20 < 15 and c.id % 5 = 0 then 'confirm_readmission' else 'close' end
                   end,
                   '',
                   case s.seq
                       when 2 then 'routed'
                       when 4 then case when c.id % 20 < 15 then 'identified' when c.id % 20 < 18 then 'not_national'
                                        else 'not_established' end
                       when 7 then case when c.id % 20 < 15 and c.id % 5 = 0 then 'departure_failed'
                                        when c.id % 20 < 15 then 'departed' else '' end
                       when 9 then case when c.id % 20 < 15 and c.id % 5 = 0 then 'departed' else '' end
                       else ''
                   end,
                   null, null, '',
                   case when s.seq = 7 and c.id % 20 < 15 and c.id % 5 = 0 then 'refused_to_board' else '' end,
                   '', '{}'::jsonb, c.prefecture_id, c.consulate_id, c.detention_end, '', md5(c.id || '-' || s.seq)
            from cases_case c cross join generate_series(1, 10) s(seq)
        """)
    finish(t0)


def finish(t0: float) -> None:
    """Triggers back on, statistics for the planner, and what was made."""
    with connection.cursor() as cur:
        cur.execute("alter table cases_caseevent enable trigger user")
        print(f"  {time.perf_counter() - t0:.0f}s; analyze …", flush=True)
        cur.execute("analyze")
        cur.execute("select count(*) from cases_case")
        n_cases = cur.fetchone()[0]
        cur.execute("select count(*) from cases_caseevent")
        n_events = cur.fetchone()[0]
    print(f"done in {time.perf_counter() - t0:.0f}s: {n_cases:,} cases, {n_events:,} events", flush=True)


if __name__ == "__main__":
    main()
