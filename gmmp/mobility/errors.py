class MobilityRefused(Exception):
    """A refused change, with a message for the user and a stable code (forbidden, invalid, wrong_state)."""

    def __init__(self, message: str, code: str = "forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code
