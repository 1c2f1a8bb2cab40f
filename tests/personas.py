"""One persona per role and side. Names say who they are; `charlie`-like personas must see nothing."""

PERSONAS = {
    # username: (organisation code, role)
    "pref75_agent": ("PREF-75", "agent"),
    "pref75_supervisor": ("PREF-75", "supervisor"),
    "pref92_agent": ("PREF-92", "agent"),
    "pref78_agent": ("PREF-78", "agent"),
    "cra_vincennes": ("CRA-VINCENNES", "agent"),
    "dgef_central": ("DGEF", "central"),
    "cg_paris_agent": ("CG-PARIS", "agent"),
    "cg_paris_supervisor": ("CG-PARIS", "supervisor"),
    "cg_lyon_agent": ("CG-LYON", "agent"),
    "cg_colombes_agent": ("CG-COLOMBES", "agent"),
    "dmsf_central": ("DMSF", "central"),
    "maece_central": ("MAECE", "central"),
    "border_casa": ("DGSN-CASA", "border_officer"),
    "gmmp_secretariat": ("GMMP-SEC", "secretariat"),
    "ofii_officer": ("OFII", "ofii_officer"),
    "anapec_officer": ("ANAPEC", "anapec_officer"),
}
PASSWORD = "demo-password-not-secret"

# The protected track for unaccompanied minors (tests/minors): one persona per role of the track.
MINOR_PERSONAS = {
    "ase75_officer": ("ASE-75", "ase_officer"),
    "ase75_supervisor": ("ASE-75", "supervisor"),
    "ase93_officer": ("ASE-93", "ase_officer"),
    "judge_paris": ("TJ-PARIS-JE", "juvenile_judge"),
    "clerk_paris": ("TJ-PARIS-JE", "court_clerk"),
    "judge_bobigny": ("TJ-BOBIGNY-JE", "juvenile_judge"),
    "cg_paris_cp": ("CG-PARIS", "cp_officer"),
    "cg_villemomble_cp": ("CG-VILLEMOMBLE", "cp_officer"),
    "ma_enfance_officer": ("MA-ENFANCE", "cp_officer"),
    "ma_justice_contact": ("MA-JUSTICE", "justice_contact"),
}
