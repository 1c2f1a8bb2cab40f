"""One French word, two meanings: "signalement" is a physical description on a case, an escalation to the
Moroccan central administration, and a child's referral. Each meaning has its own context, so that each
language translates it once per meaning."""

from django.utils import translation

from gmmp.cases.models import Case
from gmmp.collab.models import Escalation


def test_the_physical_description_and_the_escalation_are_translated_apart():
    with translation.override("en"):
        assert str(Case._meta.get_field("physical_description").verbose_name) == "physical description"
        assert str(Escalation._meta.verbose_name) == "escalation"
        assert str(Escalation._meta.verbose_name_plural) == "escalations"


def test_a_childs_referral_step_is_not_called_a_physical_description():
    from types import SimpleNamespace

    from gmmp.www.templatetags.minors_tags import minor_event_label

    with translation.override("en"):
        assert minor_event_label(SimpleNamespace(kind="referred")) == "Referral"
    with translation.override("ar"):
        assert minor_event_label(SimpleNamespace(kind="referred")) == "التبليغ"
