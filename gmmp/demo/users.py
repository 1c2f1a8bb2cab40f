"""Demo logins: one user per role and side. Documented in README.md; the password is public."""

DEMO_PASSWORD = "gmmp-demo-2026"

DEMO_USERS = [
    # username, organisation code, role, first name, last name
    ("prefecture.paris", "PREF-75", "agent", "Claire", "Demo-Martin"),
    ("prefecture.paris.chef", "PREF-75", "supervisor", "Paul", "Demo-Bernard"),
    ("prefecture.yvelines", "PREF-78", "agent", "Julie", "Demo-Petit"),
    ("prefecture.nord", "PREF-59", "agent", "Hugo", "Demo-Leroy"),
    ("prefecture.rhone", "PREF-69", "agent", "Emma", "Demo-Moreau"),
    ("cra.vincennes", "CRA-VINCENNES", "agent", "Louis", "Demo-Garnier"),
    ("dgef", "DGEF", "central", "Sophie", "Demo-Durand"),
    ("consulat.paris", "CG-PARIS", "agent", "Youssef", "Demo-Alaoui"),
    ("consulat.paris.chef", "CG-PARIS", "supervisor", "Salma", "Demo-Bennani"),
    ("consulat.mantes", "CG-MANTES", "agent", "Karim", "Demo-Tazi"),
    ("consulat.lille", "CG-LILLE", "agent", "Nadia", "Demo-Fassi"),
    ("consulat.lyon", "CG-LYON", "agent", "Omar", "Demo-Chraibi"),
    ("dmsf", "DMSF", "central", "Rachid", "Demo-Berrada"),
    ("maece", "MAECE", "central", "Leila", "Demo-Kettani"),
    ("pof.casablanca", "DGSN-CASA", "border_officer", "Hamid", "Demo-Ouazzani"),
    ("secretariat", "GMMP-SEC", "secretariat", "Inès", "Demo-Laurent"),
    ("ofii", "OFII", "ofii_officer", "Marc", "Demo-Girard"),
    ("anapec", "ANAPEC", "anapec_officer", "Amina", "Demo-Sqalli"),
    # The protected track for unaccompanied minors (central readers: dgef, dmsf, maece, secretariat)
    ("ase.paris", "ASE-75", "ase_officer", "Camille", "Demo-Roux"),
    ("ase.paris.chef", "ASE-75", "supervisor", "Marc", "Demo-Fournier"),
    ("ase.seinesaintdenis", "ASE-93", "ase_officer", "Aïcha", "Demo-Diallo"),
    ("juge.enfants.paris", "TJ-PARIS-JE", "juvenile_judge", "Hélène", "Demo-Mercier"),
    ("greffe.enfants.paris", "TJ-PARIS-JE", "court_clerk", "Thomas", "Demo-Blanc"),
    ("juge.enfants.bobigny", "TJ-BOBIGNY-JE", "juvenile_judge", "Nicolas", "Demo-Girard"),
    ("consulat.paris.enfance", "CG-PARIS", "cp_officer", "Houda", "Demo-Sefrioui"),
    ("consulat.villemomble.enfance", "CG-VILLEMOMBLE", "cp_officer", "Mounir", "Demo-Lahlou"),
    ("enfance.maroc", "MA-ENFANCE", "cp_officer", "Latifa", "Demo-Bouzidi"),
    ("justice.maroc", "MA-JUSTICE", "justice_contact", "Abdelaziz", "Demo-Filali"),
]
