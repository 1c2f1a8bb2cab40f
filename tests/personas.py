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
