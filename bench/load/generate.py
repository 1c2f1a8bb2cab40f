"""Fill a PostgreSQL database for the load benchmark: N cases (default 100,000) in bulk SQL, a realistic
mix of states (a tenth still open at the consulate, some with a laissez-passer or a departure under way,
most finished), 2 to 6 ledger events each; then the callers: one user per persona of the mix, each with
an API token and a logged-in session, written to DATA_DIR/load-callers.json for load.py.

usage: DATABASE_URL=postgres://... GMMP_DATA_DIR=... .venv/bin/python bench/load/generate.py [--cases N]

Names and references are generated (B-<n>, DEMO-...). Ledger hashes are placeholders: the benchmark
reads and writes cases, it does not verify the chain (bench/indicators/generate.py does the same).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "indicators"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from generate import defaults_sql, finish  # noqa: E402  (bench/indicators/generate.py)

from gmmp.organisations.models import ApiTokenScope, Organisation, User  # noqa: E402
from gmmp.organisations.tokens import api_token_create  # noqa: E402

# username: (organisation, role) — the callers of the mix in load.py
CALLERS = {
    "load_pref75": ("PREF-75", "agent"),
    "load_pref92": ("PREF-92", "agent"),
    "load_cg_paris": ("CG-PARIS", "agent"),
    "load_cg_lyon": ("CG-LYON", "agent"),
    "load_dgef": ("DGEF", "central"),
    "load_dmsf": ("DMSF", "central"),
}

# state by case number modulo 100: 10 % at the consulate, 5 % identified, 5 % with a laissez-passer,
# 3 % departure scheduled, 2 % departed, 60 % readmitted, 10 % closed, 5 % not national.
STATE_SQL = """case
    when g % 100 < 6 then 'routed' when g % 100 < 8 then 'interview_scheduled'
    when g % 100 < 10 then 'information_requested' when g % 100 < 15 then 'identified'
    when g % 100 < 20 then 'lpc_issued' when g % 100 < 23 then 'departure_scheduled'
    when g % 100 < 25 then 'departed' when g % 100 < 85 then 'readmitted'
    when g % 100 < 95 then 'closed' else 'not_national' end"""
# the path each state took, as the kinds of its events after `created` and `submit`
EVENTS_SQL = """case c.state
    when 'routed' then array[]::text[]
    when 'interview_scheduled' then array['schedule_interview']
    when 'information_requested' then array['request_information']
    when 'identified' then array['decide']
    when 'not_national' then array['decide']
    when 'lpc_issued' then array['decide', 'issue_laissez_passer']
    when 'departure_scheduled' then array['decide', 'issue_laissez_passer', 'schedule_departure']
    when 'departed' then array['decide', 'issue_laissez_passer', 'schedule_departure', 'record_departure']
    when 'readmitted' then array['decide', 'issue_laissez_passer', 'schedule_departure', 'record_departure']
    else array['withdraw'] end"""


def generate(cases: int) -> None:
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("select count(*) from cases_case")
        if cur.fetchone()[0]:
            print("cases already present: data kept")
            return
        cur.execute("select id from organisations_user where username = 'load_pref75'")
        creator = cur.fetchone()[0]
        given = {
            "id", "reference", "state", "prefecture_id", "consulate_id", "created_by_id", "created_at",
            "submitted_at", "routed_at", "removal_order_reference", "removal_order_date", "detention_start",
            "detention_end", "reply_due", "updated_at", "last_name", "first_names", "birth_date", "sex",
            "birth_place", "aliases", "departure_date",
        }  # fmt: skip
        extra_cols, extra_vals = defaults_sql("cases_case", given)
        print(f"cases: {cases:,} …", flush=True)
        # Paris, Nanterre (92) and every other préfecture; the consulate covering each.
        cur.execute(f"""
            create temporary table load_orgs as
            select row_number() over (order by p.id) - 1 as n, p.id as prefecture_id,
                   coalesce((select m.consulate_id from organisations_jurisdiction m
                             where m.departement_id = p.departement_id limit 1),
                            (select id from organisations_organisation where code = 'CG-PARIS')) as consulate_id
            from organisations_organisation p where p.kind = 'prefecture';
            insert into cases_case (id, reference, state, prefecture_id, consulate_id, created_by_id, created_at,
                                    submitted_at, routed_at, removal_order_reference, removal_order_date,
                                    detention_start, detention_end, reply_due, updated_at, last_name,
                                    first_names, birth_date, sex, birth_place, aliases, departure_date{extra_cols})
            select g, 'B-' || g, {STATE_SQL}, o.prefecture_id, o.consulate_id, {creator},
                   t0 - interval '1 day', t0, t0, 'OQTF-' || g, t0::date - 30,
                   case when g % 10 < 7 then t0::date - 2 end,
                   case when g % 10 < 7 then t0::date + 88 end,
                   t0::date + 30, t0,
                   'DEMO-' || (array['ALAOUI','BENANI','CHRAIBI','DRISSI','EL FASSI','FILALI','GUESSOUS',
                                     'HAJJI','IDRISSI','JABRI'])[1 + g % 10] || '-' || (g % 997),
                   (array['Mohamed','Youssef','Fatima','Khadija','Omar','Amine','Salma','Nadia'])[1 + g % 8],
                   (1960 + g % 45)::text || '-0' || (1 + g % 9)::text || '-1' || (g % 9)::text,
                   case when g % 8 in (2, 3, 6, 7) then 'F' else 'M' end,
                   (array['Casablanca','Rabat','Fès','Tanger','Oujda','Agadir'])[1 + g % 6],
                   '[]'::jsonb,
                   case when g % 100 between 20 and 84 then t0::date + 40 end{extra_vals}
            from (select g, now() - (((g::bigint * 7919) % {cases})::float / {cases}) * interval '1000 days' as t0
                  from generate_series(1, {cases}) g) s
            join load_orgs o on o.n = g % (select count(*) from load_orgs);
            select setval(pg_get_serial_sequence('cases_case', 'id'), {cases});
        """)
        print(f"  {time.perf_counter() - t0:.0f}s; events …", flush=True)
        cur.execute("alter table cases_caseevent disable trigger user")
        given_events = {
            "id", "case_id", "sequence", "at", "kind", "from_state", "to_state", "actor_id", "actor_organisation_id",
            "actor_side", "reason", "comment", "details", "prefecture_id", "consulate_id", "detention_end",
            "prev_hash", "hash",
        }  # fmt: skip
        extra_cols, extra_vals = defaults_sql("cases_caseevent", given_events)
        cur.execute(f"""
            insert into cases_caseevent (case_id, sequence, at, kind, from_state, to_state, actor_id,
                actor_organisation_id, actor_side, reason, comment, details, prefecture_id, consulate_id,
                detention_end, prev_hash, hash{extra_cols})
            select c.id, k.seq, c.created_at + interval '1 hour' * k.seq, k.kind, '', '', c.created_by_id,
                   c.prefecture_id, 'FR', '', '',
                   '{{}}'::jsonb, c.prefecture_id, c.consulate_id, c.detention_end, '', md5(c.id || '-' || k.seq)
                   {extra_vals}
            from cases_case c
            cross join lateral unnest(array['created', 'submit'] || {EVENTS_SQL}) with ordinality k(kind, seq)
        """)
    finish(t0)


def callers() -> dict:
    """A user per caller, with an API token (every scope) and a logged-in session."""
    out = {}
    # the backend that loads the session's user (axes' backend only guards the login)
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    for username, (org, role) in CALLERS.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"organisation": Organisation.objects.get(code=org), "role": role}
        )
        _token, raw = api_token_create(user=user, name="load", scopes=list(ApiTokenScope.values))
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        out[username] = {"token": raw, "session": session.session_key}
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    call_command("createcachetable", verbosity=0)
    for username, (org, role) in CALLERS.items():
        User.objects.get_or_create(
            username=username, defaults={"organisation": Organisation.objects.get(code=org), "role": role}
        )
    generate(args.cases)
    path = Path(settings.DATA_DIR) / "load-callers.json"
    path.write_text(json.dumps(callers(), indent=1))
    print(f"callers: {path}")


if __name__ == "__main__":
    main()
