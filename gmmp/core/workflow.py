"""One transition runner for every workflow.

A workflow is declared as data: its transitions (`Transition`: which states each leaves from, which it
may lead to, who may perform it, whether it needs a reason) and a `Workflow` that names the model, the
ledger it writes, the actor check and how to word a refusal. Each action then keeps only its own rule,
declared with `Workflow.action`: the function checks its input and says what the step does.

    @MINORS_WORKFLOW.action("close")
    def minor_close(case, *, reason: str) -> Step:
        _require(reason, _("Indiquez le motif de la clôture."))
        return Step(MinorState.CLOSED, reason=reason)

    minor_close(case=case, user=user, reason="...")   # the action: runs the step, returns the case

An action whose rule needs the locked row calls `run` itself:

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

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.db import models, transaction
from django.db.models.options import Options
from django.utils.functional import Promise

from .errors import Codes, Refused

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
    # This transition's own sentence for a wrong state (else the workflow's).
    state_refusal: str | Promise = ""


@dataclass
class Step:
    """What a transition's own rule decided: the state it leads to, the fields it changes, and what the
    ledger event records besides the move."""

    to_state: str
    update: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # the ledger's reason code (withdrawal reason, departure failure…)
    comment: str = ""


class Ledger(Protocol):
    """What a workflow writes its events to: `core.ledger.HashChainedEvent` (the hash-chained ledgers) or
    any model with the same `append` and a `subject_field` (the foreign key to the moved object)."""

    subject_field: ClassVar[str]
    _meta: ClassVar[Options[Any]]

    @classmethod
    def append(cls, *args: Any, **kwargs: Any) -> Any:
        """append(*, subject, user, kind, **fields) -> the event."""


@dataclass(frozen=True)
class Outcome:
    """Handed to the effects after the commit."""

    workflow: "Workflow[Any]"
    kind: str
    subject: models.Model  # the locked, saved row
    event: Ledger
    user: Any
    transition: Transition | None = None


E = TypeVar("E", bound=Ledger)
Rule = Callable[[Any], Step]
Effect = Callable[[Outcome], None]


class Workflow(Generic[E]):
    def __init__(
        self,
        name: str,
        ledger: type[E],
        transitions: Iterable[Transition],
        actor_check: Callable[[Any, Any, str], tuple[bool, str]],
        state_refusal: str | Promise = "",
        *,
        model: type[models.Model] | None = None,
        lock_related: tuple[str, ...] = (),
        state_field: str = "state",
        ledger_subject: Callable[[Any], models.Model] | None = None,
        refused: type[Refused] = Refused,
    ):
        """`ledger`: the events' model; its `subject_field` names the moved object's model (the foreign
        key's target) and the keyword the declared actions take (`case=`, `contract=`), unless `model`
        names another one (whose events go to its parent's ledger: `ledger_subject`, object -> parent).
        `actor_check(user, obj, actor) -> (ok, why)`. `state_refusal`: the sentence for a transition tried
        in the wrong state, with %(action)s and %(state)s (translated lazily; the state in words from the
        state field's choices); a transition may have its own instead. `lock_related`: relations fetched
        with the locked row. `refused`: the workflow's refusal type (a `Refused`; its `state_code` is the
        code for a wrong state)."""
        self.name = name
        self.ledger = ledger
        self._model = model
        self.subject: str = model.__name__.lower() if model else ledger.subject_field  # = _meta.model_name
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}
        for t in self.transitions.values():
            if t.needs_reason and not t.reason_prompt:
                raise ValueError(f"{name}.{t.name} needs a reason: give it a reason_prompt")
            if not (t.state_refusal or state_refusal):
                raise ValueError(f"{name}.{t.name}: give it (or the workflow) a state_refusal")
        self.actor_check = actor_check
        self.state_refusal = state_refusal
        self.lock_related = lock_related
        self.state_field = state_field
        self.ledger_subject = ledger_subject
        self.refused = refused
        self.effects: list[Effect] = [self._log_move]

    @functools.cached_property
    def model(self) -> type[models.Model]:
        """The moved object's model: given, or the target of the ledger's foreign key (read once the
        models are loaded, not while the workflow is declared)."""
        if self._model is not None:
            return self._model
        target = self.ledger._meta.get_field(self.subject).related_model
        assert isinstance(target, type)  # the subject field is a foreign key: its target is a model
        return target

    @functools.cached_property
    def _state_labels(self) -> dict:
        return dict(getattr(self.model._meta.get_field(self.state_field), "flatchoices", ()))

    def state_label(self, state: str) -> str:
        """A state in words: its label among the state field's choices (lazy: in the active language)."""
        return str(self._state_labels.get(state, state))

    # ------------------------------------------------------------------------------------- checks

    def _blocker(self, user, obj, transition: Transition) -> tuple[str, str] | None:
        """What stops `user` performing `transition` on `obj` now, in the order every caller shares (the
        state first, then the actor): `("state", state)`, `("actor", why)`, or None when nothing does."""
        state = getattr(obj, self.state_field)
        if state not in transition.sources:
            return ("state", state)
        ok, why = self.actor_check(user, obj, transition.actor)
        return None if ok else ("actor", why)

    def refusal(self, user, obj, name: str) -> Refused | None:
        """Why `user` may not perform `name` on `obj` now (state first, then actor), or None."""
        transition = self.transitions[name]
        blocker = self._blocker(user, obj, transition)
        if blocker is None:
            return None
        kind, detail = blocker
        if kind == "state":
            message = str(transition.state_refusal or self.state_refusal) % {
                "action": transition.label,
                "state": self.state_label(detail),
            }
            return self.refused(message, self.refused.state_code)
        return self.refused(detail, Codes.FORBIDDEN)

    def allowed(self, user, obj, name: str) -> tuple[bool, str]:
        refused = self.refusal(user, obj, name)
        return (False, refused.message) if refused else (True, "")

    def check(self, user, obj, name: str) -> None:
        refused = self.refusal(user, obj, name)
        if refused:
            raise refused

    def available(self, user, obj) -> list[Transition]:
        """The transitions nothing blocks (the same `_blocker` as `refusal`), without formatting the
        refusals' messages: the case page and the API case ask this of every transition (~20) on each read."""
        return [t for t in self.transitions.values() if self._blocker(user, obj, t) is None]

    # ------------------------------------------------------------------------------------- effects

    def on_commit(self, effect: Effect) -> Effect:
        """Register `effect(outcome)` to run after every committed event of this workflow (usable as a
        decorator). Effects run outside the transaction: a failing one is logged, never undoes the change."""
        self.effects.append(effect)
        return effect

    def _log_move(self, outcome: Outcome) -> None:
        """Every workflow's first effect: one log line per committed transition. The object's reference
        and the move only: never a name in the logs."""
        if outcome.transition is not None:
            subject = outcome.subject
            moved = [getattr(outcome.event, "from_state", ""), getattr(outcome.event, "to_state", "")]
            if self.ledger_subject is not None:  # the parent's states are in the event; the object's own move
                moved = (getattr(outcome.event, "details", None) or {}).get(self.state_field, moved)
            logger.info(
                "%s %s: %s -> %s (%s)",
                self.name,
                getattr(subject, "reference", subject.pk),
                *moved,
                outcome.kind,
            )

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
        if self.ledger_subject is None:
            return
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

    def note(self, *, subject, user, kind: str, **fields: Any) -> E:
        """`record` for an event that is not a move: from_state and to_state are the subject's state
        unless given."""
        fields.setdefault("from_state", getattr(subject, self.state_field))
        fields.setdefault("to_state", fields["from_state"])
        return self.record(subject=subject, user=user, kind=kind, **fields)

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
                raise self.refused(str(transition.reason_prompt), Codes.REASON_REQUIRED)
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

    def action(self, name: str) -> Callable[[Callable[..., Step]], Callable[..., Any]]:
        """Declare the action that performs transition `name` from its own rule (a decorator).

        The rule, `rule(subject, **inputs) -> Step`, checks the input (raising `Refused`) and says what
        the step does; it sees the caller's instance, before the lock (checking input needs no lock).
        The action it becomes, `action(*, <subject>=, user, **inputs)`, calls the rule, then `run`s the
        step (lock, state and actor, reason, one ledger event, effects), all in one transaction, and
        returns the caller's instance with the new state."""
        if name not in self.transitions:
            raise ValueError(f"{self.name} has no transition {name!r}")

        def declare(rule: Callable[..., Step]) -> Callable[..., Any]:
            def action(*, user, **inputs: Any):
                obj = inputs.pop(self.subject)
                with transaction.atomic():
                    step = rule(obj, **inputs)
                    # The justification a transition may need: the step's reason code, else its comment.
                    justification = step.reason or step.comment
                    self.run(name, obj=obj, user=user, rule=lambda locked: step, reason=justification)
                return obj

            for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
                setattr(action, attr, getattr(rule, attr))
            # What the action takes, as it is called: `<subject>=, user=`, then the rule's own inputs.
            signature = inspect.signature(rule)
            subject, *inputs = signature.parameters.values()
            # (mypy: a plain function has no such attribute; inspect reads it from any callable.)
            action.__signature__ = signature.replace(  # type: ignore[attr-defined]
                parameters=[
                    subject.replace(name=self.subject, kind=inspect.Parameter.KEYWORD_ONLY),
                    inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY),
                    *inputs,
                ],
                return_annotation=self.model,
            )
            action.rule = rule  # type: ignore[attr-defined]  # the transition's own rule, for tests
            action.transition = name  # type: ignore[attr-defined]  # the transition it performs
            return action

        return declare
