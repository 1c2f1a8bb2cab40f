"""The consulate's register searches for a child: the same engine as for adults, searched by the
child's names with the parents' names (identification), and by each parent's names (family tracing).
Every search is logged by the identification service (national ids shown, never the names searched)."""

from gmmp.identification.engine import Query
from gmmp.identification.services import query_from_case, register_search


def minor_register_queries(case) -> dict[str, Query]:
    queries = {"child": query_from_case(case)}
    if case.father_first_name:
        queries["father"] = Query(first_name=case.father_first_name, last_name=case.last_name, sex="M")
    if case.mother_first_name and case.mother_last_name:
        queries["mother"] = Query(first_name=case.mother_first_name, last_name=case.mother_last_name, sex="F")
    return queries


def minor_register_search(*, case, user, channel: str = "web", limit: int = 5) -> dict[str, list]:
    """Candidates for the child and for each parent named (the caller checked that `user` takes the
    identification or family-tracing step of this case)."""
    return {
        who: register_search(
            user=user, query=query, limit=limit, channel=channel, case_reference=case.reference
        )
        for who, query in minor_register_queries(case).items()
    }
