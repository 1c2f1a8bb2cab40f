"""One refusal type for every domain rule that says no.

A domain action that will not do what was asked raises `Refused(message, code)`: `message` is a
translated sentence that can be shown as it is (a form error, a flash message, the API's `message`);
`code` is stable and machine-readable (the API's `code`, tests). Adapters translate, they never
re-derive the code.
"""


class Codes:
    """The codes every workflow shares; a workflow may add its own (`invalid_consulate`, …)."""

    INVALID_STATE = "invalid_state"  # the object is not in a state the transition leaves from
    FORBIDDEN = "forbidden"  # not this user's to do
    REASON_REQUIRED = "reason_required"  # the transition needs a reason and none was given
    INVALID_FIELD = "invalid_field"  # a field that the action does not accept


class Refused(Exception):
    """A domain rule refused the action; `message` can be shown to the user, `code` is stable."""

    state_code = Codes.INVALID_STATE  # the code a workflow gives a transition tried in the wrong state

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"
