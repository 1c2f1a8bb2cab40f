from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    FR = "FR", _("France")
    MA = "MA", _("Maroc")
    BOTH = "BOTH", _("Groupe mixte (les deux parties)")


class OrganisationKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Préfecture")
    CRA = "cra", _("Centre de rétention administrative")
    CONSULATE = "consulate", _("Consulat général")
    CENTRAL = "central", _("Administration centrale")
    BORDER_POLICE = "border_police", _("Police aux frontières")
    SECRETARIAT = "secretariat", _("Secrétariat du GMMP")
    MOBILITY_AGENCY = "mobility_agency", _("Opérateur du programme de migration circulaire")
    # The protected track for unaccompanied minors (gmmp/minors)
    CHILD_WELFARE = "child_welfare", _("Aide sociale à l'enfance (département)")
    JUVENILE_COURT = "juvenile_court", _("Tribunal pour enfants")
    CHILD_PROTECTION = "child_protection", _("Services de protection de l'enfance")
    JUSTICE = "justice", _("Ministère de la Justice")


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Superviseur")
    CENTRAL = "central", _("Administration centrale")
    BORDER_OFFICER = "border_officer", _("Agent de la police aux frontières")
    SECRETARIAT = "secretariat", _("Secrétariat")
    ADMIN = "admin", _("Administrateur")
    OFII_OFFICER = "ofii_officer", _("Agent de l'OFII")
    ANAPEC_OFFICER = "anapec_officer", _("Agent de l'ANAPEC")
    # The protected track for unaccompanied minors (gmmp/minors)
    ASE_OFFICER = "ase_officer", _("Agent de l'aide sociale à l'enfance")
    JUVENILE_JUDGE = "juvenile_judge", _("Juge des enfants")
    COURT_CLERK = "court_clerk", _("Greffier du tribunal pour enfants")
    CHILD_PROTECTION_OFFICER = "cp_officer", _("Référent protection de l'enfance")
    JUSTICE_CONTACT = "justice_contact", _("Correspondant mineurs du ministère de la Justice")
    # The data protection officer of a central administration: who read what, subject-access exports.
    DPO = "dpo", _("Délégué à la protection des données")
