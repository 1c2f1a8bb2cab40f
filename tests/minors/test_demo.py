"""The demo's children: about 40 fictitious cases in every step, sound ledgers, none in the adult track."""

from gmmp.cases.models import Case
from gmmp.demo.minors import demo_minors_create
from gmmp.demo.users import DEMO_USERS
from gmmp.minors.enums import MinorState
from gmmp.minors.models import MinorCase, MinorEvent
from gmmp.minors.selectors import minor_ledger_verify
from gmmp.organisations.models import Organisation, User


def test_demo_children_are_in_every_step_with_sound_ledgers(reference):
    for username, org, role, first, last in DEMO_USERS:
        User.objects.create(
            username=username,
            organisation=Organisation.objects.get(code=org),
            role=role,
            first_name=first,
            last_name=last,
        )
    assert demo_minors_create() == 40
    cases = MinorCase.objects.all()
    assert set(cases.values_list("state", flat=True)) == set(MinorState.values)
    assert all(minor_ledger_verify(case) for case in cases)
    assert all(name.startswith("Demo-") for name in cases.values_list("last_name", flat=True))
    assert {c.consulate.code for c in cases} == {"CG-PARIS", "CG-VILLEMOMBLE"}
    assert MinorEvent.objects.filter(kind="followup_reminder").exists()
    assert not Case.objects.exists()
    assert demo_minors_create() == 0
