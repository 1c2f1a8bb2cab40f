"""One transition runner for every workflow.

A workflow is declared as data: its transitions (`Transition`: which states each leaves from, which it
may lead to, who may perform it, whether it needs a reason) and a `Workflow` that names the model, the
ledger it writes, the actor check and how to word a refusal. Each action then keeps only its own rule:

    def case_close(*, case, user, comment=""):
        CASE_WORKFLOW.run("close", obj=case, user=user,
                          rule=lambda locked: Step(CaseState.CLOSED, comment=comment))
        return case

`Workflow.run` locks the row, checks the state and the actor (a `Refused` with a readable reason and
the code `invalid_state` / `forbidden` / `reason_required`), lets the rule decide (it may refuse too),
moves the state, writes exactly one ledger event, schedules the effects registered for the workflow
on commit, copies the locked row back into the caller's instance and returns the event.

An object without a ledger of its own (an interview, an escalation: they belong to a case) names its
parent with `ledger_subject`: the parent's row is locked first, the event goes to the parent's ledger
with the parent's state as from/to (its lists and indicators read its own states there), and the
object's own move is in the event's details under the name of its state field (`[from, to]`).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.functional import Promise

from .errors import Codes, Refused
from .ledger import HashChainedEvent

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise  # a lazy translation
    sources: frozenset
    targets: frozenset
    actor: str  # an actor rule the workflow's `actor_check` knows
    needs_reason: bool = False  # enforced by the runner: `run(..., reason=...)` must not be blank
    reason_prompt: str | Promise = ""  # the refusal shown when the reason is missing


@dataclass
class Step:
    """What a transition's own rule decided: the state it leads to, the fields it changes, and what the
    ledger event records besides the move."""

    to_state: str
    update: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # the ledger's reason code (withdrawal reason, departure failure…)
    comment: str = ""


@dataclass(frozen=True)
class Outcome:
    """Handed to the effects after the commit."""

    workflow: "Workflow[Any]"
    kind: str
    subject: models.Model  # the locked, saved row
    event: HashChainedEvent
    user: Any
    transition: Transition | None = None


E = TypeVar("E", bound=HashChainedEvent)
Rule = Callable[[Any], Step]
Effect = Callable[[Outcome], None]


class Workflow(Generic[E]):
    def __init__(
        self,
        *,
        name: str,
        model: type[models.Model],
        ledger: type[E],
        transitions: Iterable[Transition],
        actor_check: Callable[[Any, Any, str], tuple[bool, str]],
        state_label: Callable[[str], str | Promise],
        state_refusal: str | Promise,
        lock_related: tuple[str, ...] = (),
        state_field: str = "state",
        ledger_subject: Callable[[Any], models.Model] | None = None,
    ):
        """`state_refusal`: the sentence for a transition tried in the wrong state, with %(action)s and
        %(state)s (translated lazily). `lock_related`: relations fetched with the locked row.
        `ledger_subject`: for an object whose events go to its parent's ledger, object -> parent."""
        self.name = name
        self.model = model
        self.ledger = ledger
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}
        for t in self.transitions.values():
            if t.needs_reason and not t.reason_prompt:
                raise ValueError(f"{name}.{t.name} needs a reason: give it a reason_prompt")
        self.actor_check = actor_check
        self.state_label = state_label
        self.state_refusal = state_refusal
        self.lock_related = lock_related
        self.state_field = state_field
        self.ledger_subject = ledger_subject
        self.effects: list[Effect] = []

    # ------------------------------------------------------------------------------------- checks

    def refusal(self, user, obj, name: str) -> Refused | None:
        """Why `user` may not perform `name` on `obj` now (state first, then actor), or None."""
        transition = self.transitions[name]
        state = getattr(obj, self.state_field)
        if state not in transition.sources:
            message = str(self.state_refusal) % {
                "action": transition.label,
                "state": self.state_label(state),
            }
            return Refused(message, Codes.INVALID_STATE)
        ok, why = self.actor_check(user, obj, transition.actor)
        if not ok:
            return Refused(why, Codes.FORBIDDEN)
        return None

    def allowed(self, user, obj, name: str) -> tuple[bool, str]:
        refused = self.refusal(user, obj, name)
        return (False, refused.message) if refused else (True, "")

    def check(self, user, obj, name: str) -> None:
        refused = self.refusal(user, obj, name)
        if refused:
            raise refused

    def available(self, user, obj) -> list[Transition]:
        return [t for name, t in self.transitions.items() if self.refusal(user, obj, name) is None]

    # ------------------------------------------------------------------------------------- effects

    def on_commit(self, effect: Effect) -> Effect:
        """Register `effect(outcome)` to run after every committed event of this workflow (usable as a
        decorator). Effects run outside the transaction: a failing one is logged, never undoes the change."""
        self.effects.append(effect)
        return effect

    def _schedule(self, outcome: Outcome) -> None:
        for effect in list(self.effects):

            def run(effect=effect):
                try:
                    effect(outcome)
                except Exception:
                    logger.exception("%s: effect %r failed after %s", self.name, effect, outcome.kind)

            transaction.on_commit(run)

    # ------------------------------------------------------------------------------------- writing

    def lock(self, obj):
        # Two people acting on the same object at once: the row lock makes the second wait and then see
        # the first one's state, so that an object cannot leave a state twice (decided twice, say) or
        # leave a state it is no longer in. of=("self",): PostgreSQL refuses FOR UPDATE on the nullable
        # side of an outer join (a select_related on a nullable foreign key).
        return (
            self.model._default_manager.select_for_update(of=("self",))
            .select_related(*self.lock_related)
            .get(pk=obj.pk)
        )

    def _lock_parent(self, obj) -> None:
        # Parent first, then the object: the order every action on the parent's ledger keeps.
        parent = self.ledger_subject(obj)
        type(parent)._default_manager.select_for_update(of=("self",)).get(pk=parent.pk)

    def copy_back(self, target, source) -> None:
        """Give the caller's instance the saved values of the locked row."""
        for f in self.model._meta.concrete_fields:
            setattr(target, f.attname, getattr(source, f.attname))

    def record(self, *, subject, user, kind: str, transition: Transition | None = None, **fields: Any) -> E:
        """Append one event to the subject's ledger (`fields`: from_state, to_state, reason, comment,
        details, as `HashChainedEvent.append` takes them) and schedule the effects, inside the transaction
        that changed the subject. `run` calls it for transitions; actions that are not transitions
        (created, evidence added…) call it directly. With `ledger_subject`, `subject` is the object (its
        parent's row locked by the caller)."""
        ledger_subject = self.ledger_subject(subject) if self.ledger_subject else subject
        event = self.ledger.append(subject=ledger_subject, user=user, kind=kind, **fields)
        self._schedule(Outcome(self, kind, subject, event, user, transition))
        return event

    def run(self, name: str, *, obj, user, rule: Rule, reason: str = "") -> E:
        """Perform transition `name` on `obj` for `user`; `rule(locked)` applies the transition's own rule
        and returns the `Step`. `reason` is the justification the transition may need (`needs_reason`)."""
        transition = self.transitions[name]
        with transaction.atomic():
            if self.ledger_subject:
                self._lock_parent(obj)
            locked = self.lock(obj)
            self.check(user, locked, name)
            if transition.needs_reason and not (reason or "").strip():
                raise Refused(str(transition.reason_prompt), Codes.REASON_REQUIRED)
            step = rule(locked)
            if step.to_state not in transition.targets:
                raise RuntimeError(f"{self.name}.{name} cannot lead to {step.to_state!r}")
            from_state = getattr(locked, self.state_field)
            for attr, value in step.update.items():
                setattr(locked, attr, value)
            setattr(locked, self.state_field, step.to_state)
            locked.save()
            moved, details = (from_state, step.to_state), step.details
            if self.ledger_subject:
                parent_state = getattr(self.ledger_subject(locked), "state", "")
                details = {**details, self.state_field: list(moved)}
                moved = (parent_state, parent_state)
            event = self.record(
                subject=locked,
                user=user,
                kind=name,
                from_state=moved[0],
                to_state=moved[1],
                reason=step.reason,
                comment=step.comment,
                details=details,
                transition=transition,
            )
        self.copy_back(obj, locked)
        return event
