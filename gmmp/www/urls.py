"""Every page of the web layer, in one table: a namespace per feature (`reverse("cases:detail", ...)`), the
feature's views in gmmp/www/<feature>/."""

from django.urls import include, path

from . import views
from .audit import views as audit
from .cases import views as cases
from .collab import views as collab
from .documents import views as documents
from .governance import steering
from .governance import views as governance
from .identification import views as identification
from .indicators import themes
from .indicators import views as indicators
from .minors import views as minors
from .mobility import views as mobility
from .notifications import views as notifications

app_name = "www"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
]


def feature(prefix: str, namespace: str, *routes):
    """The feature's routes under `prefix`, in its own namespace."""
    return path(prefix, include((list(routes), namespace), namespace=namespace))


feature_patterns = [
    feature(
        "cases/",
        "cases",
        path("", cases.case_list, name="list"),
        path("new/", cases.case_new, name="new"),
        path("<str:reference>/", cases.case_detail, name="detail"),
        path("<str:reference>/edit/", cases.case_edit, name="edit"),
        path("<str:reference>/evidence/", cases.evidence_upload, name="evidence_upload"),
        path(
            "<str:reference>/evidence/<int:evidence_id>/", cases.evidence_download, name="evidence_download"
        ),
        path("<str:reference>/actions/<str:name>/", cases.case_transition, name="transition"),
    ),
    feature(
        "register/",
        "identification",
        path("", identification.search, name="search"),
        path("cases/<str:reference>/", identification.case_search, name="case_search"),
        path("cases/<str:reference>/confirm/", identification.confirm, name="confirm"),
        path("cases/<str:reference>/not-found/", identification.not_found, name="not_found"),
        path("cases/<str:reference>/second-confirm/", identification.second_confirm, name="second_confirm"),
        path("cases/<str:reference>/reverse/", identification.reverse_identification, name="reverse"),
    ),
    feature(
        "lpc/",
        "documents",
        path("verify/", documents.verify, name="verify"),
        path("keys.json", documents.public_keys, name="keys"),
        path("border/", documents.border_scan, name="border_scan"),
        path("case/<str:reference>/issue/", documents.issue, name="issue"),
        path("case/<str:reference>/photo-exception/", documents.photo_exception, name="photo_exception"),
        path("<str:number>/pdf/", documents.pdf, name="pdf"),
        path("<str:number>/extend/", documents.extend, name="extend"),
        path("<str:number>/reissue/", documents.reissue, name="reissue"),
        path("<str:number>/revoke/", documents.revoke, name="revoke"),
    ),
    feature(
        "indicators/",
        "indicators",
        path("", indicators.dashboard, name="dashboard"),
        path("cases/", indicators.cases, name="cases"),
        path("report.pdf", indicators.report_pdf, name="report"),
        path("reports/<int:pk>.pdf", indicators.report_rerun, name="report_rerun"),
        path("themes/<slug:set_id>/", themes.theme, name="theme"),
    ),
    feature(
        "gmmp/",
        "governance",
        path("", governance.meetings, name="meetings"),
        path("meetings/<int:pk>/", governance.meeting_detail, name="meeting"),
        path("meetings/<int:pk>/followup/", governance.followup, name="followup"),
        path("followup/", governance.followup, name="followup_next"),
        path("actions/<int:pk>/status/", governance.action_update, name="action_update"),
        path("meetings/new/", steering.meeting_new, name="meeting_new"),
        path("meetings/<int:pk>/edit/", steering.meeting_edit, name="meeting_edit"),
        path("recommendations/", steering.recommendations, name="recommendations"),
        path(
            "recommendations/<int:pk>/status/", steering.recommendation_update, name="recommendation_update"
        ),
        path("assessments/", steering.assessments, name="assessments"),
        path("assessments/<str:code>/", steering.assessment_detail, name="assessment"),
    ),
    feature(
        "mobility/",
        "mobility",
        path("", mobility.index, name="index"),
        path("visas/", mobility.visas, name="visas"),
        path("irregular/", mobility.irregular, name="irregular"),
        path("contracts/", mobility.contracts, name="contracts"),
        path("contracts/new/", mobility.contract_new, name="contract_new"),
        path("contracts/<int:pk>/", mobility.contract_detail, name="contract"),
        path("contracts/<int:pk>/<str:what>/", mobility.contract_act, name="contract_act"),
        path("complaints/<int:pk>/close/", mobility.complaint_close, name="complaint_close"),
    ),
    feature(
        "minors/",
        "minors",
        path("", minors.minor_list, name="list"),
        # Stable name: the adult track links here when a person may be a minor (legal timeline, #11).
        path("referral/new/", minors.referral_new, name="referral_new"),
        path("indicators/", minors.indicators, name="indicators"),
        path("indicators.csv", minors.indicators_csv, name="indicators_csv"),
        path("<str:reference>/", minors.minor_detail, name="detail"),
        path("<str:reference>/register/", minors.register_candidates, name="register"),
        path("<str:reference>/steps/<str:name>/", minors.minor_step, name="step"),
        path("<str:reference>/documents/<int:document_id>/", minors.document_download, name="document"),
        path("<str:reference>/access/", minors.access_log, name="access_log"),
        path("<str:reference>/designate/", minors.designate, name="designate"),
    ),
    feature(
        "audit/",
        "audit",
        path("ledger/", audit.ledger, name="ledger"),
        path("cases/<str:reference>/access/", audit.case_access_log, name="case_access_log"),
        path("cases/<str:reference>/export.json", audit.subject_export, name="subject_export"),
    ),
    feature(
        "notifications/",
        "notifications",
        path("", notifications.inbox, name="inbox"),
        path("read/", notifications.mark_read, name="mark_read"),
        path("preferences/", notifications.preferences, name="preferences"),
        path("<int:pk>/", notifications.open_notification, name="open"),
    ),
    feature(
        "",
        "collab",
        path("cases/<str:reference>/thread/", collab.thread, name="thread"),
        path("cases/<str:reference>/thread/files/<int:pk>/", collab.attachment, name="attachment"),
        path("cases/<str:reference>/interviews/", collab.interviews, name="interviews"),
        path("cases/<str:reference>/escalation/", collab.escalation_new, name="escalation_new"),
        path("cases/<str:reference>/protection/", collab.protection, name="protection"),
        path("interviews/week/", collab.calendar, name="calendar"),
        path("escalations/", collab.escalations, name="escalations"),
        path("escalations/<int:pk>/answer/", collab.escalation_answer, name="escalation_answer"),
    ),
]
