from gmmp.core.errors import Refused


class MobilityRefused(Refused):
    """A refused change in legal mobility: `message` for the user, a stable `code` (forbidden, invalid,
    wrong_state). The platform's one refusal type (core.errors.Refused), so adapters handle it alike."""

    state_code = "wrong_state"  # a contract move tried from the wrong status (core.workflow)

    def __init__(self, message: str, code: str = "forbidden"):
        super().__init__(message, code)
