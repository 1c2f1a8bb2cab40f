"""Demo data for the Group's steering: a recommendation under way and the last complete quarter's cooperation
assessment, both readings written (plainly marked « démo »), signed by the Moroccan co-chair only."""

from django.db import transaction

from gmmp.core import clock
from gmmp.indicators import periods
from gmmp.organisations.models import User

from . import actions
from .models import CooperationAssessment, Recommendation, RecommendationStatus


@transaction.atomic
def governance_demo_prepare() -> dict:
    secretariat = User.objects.filter(username="secretariat").first()
    dgef, dmsf = User.objects.filter(username="dgef").first(), User.objects.filter(username="dmsf").first()
    if not (secretariat and dgef and dmsf) or CooperationAssessment.objects.exists():
        return {"skipped": True}
    rec = Recommendation.objects.filter(number=3, status=RecommendationStatus.OPEN).first()
    if rec is not None:
        actions.recommendation_update_status(
            user=secretariat,
            recommendation=rec,
            status=RecommendationStatus.IN_PROGRESS,
            note="Priorité donnée aux personnes retenues dans les consulats pilotes (démo).",
        )
    quarter = periods.last_complete_quarter(clock.today())
    assessment = actions.assessment_open(user=secretariat, quarter=quarter.first_day)
    actions.assessment_reading_write(
        user=dgef,
        assessment=assessment,
        side="FR",
        text="Lecture de démonstration : les demandes progressent, la part des laissez-passer délivrés avant la "
        "fin de la rétention reste insuffisante ; la circularité des saisonniers est bonne (démo).",
    )
    actions.assessment_reading_write(
        user=dmsf,
        assessment=assessment,
        side="MA",
        text="Lecture de démonstration : les délais de réponse baissent ; les départs irréguliers empêchés et "
        "les réseaux démantelés sont en hausse ; les droits des saisonniers sont suivis (démo).",
    )
    actions.assessment_sign(user=dmsf, assessment=assessment, side="MA", signed_as="Khalid Zerouali")
    return {"assessment": assessment.code}
