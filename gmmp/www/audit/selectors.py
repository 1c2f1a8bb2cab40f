"""Reads of the access log: every row about one case (the case, its documents, its evidence)."""

from django.db.models import Q

from gmmp.audit.models import AccessLog


def access_log_for_case(case):
    from gmmp.documents.models import LaissezPasser

    numbers = list(LaissezPasser.objects.filter(case=case).values_list("number", flat=True))
    evidence = [str(pk) for pk in case.evidence.values_list("pk", flat=True)]
    about = (
        Q(object_type__in=["case", "case_events", "arrival"], object_id=case.reference)
        | Q(detail__case=case.reference)
        | Q(object_type="laissez_passer", object_id__in=numbers)
        | Q(object_type="evidence", object_id__in=evidence)
    )
    return (
        AccessLog.objects.filter(about)
        .exclude(object_type="access_log")
        .select_related("user")
        .order_by("-at")
    )
