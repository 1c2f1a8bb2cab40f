"""Logging filters (no Django import: the logging configuration loads them before the apps)."""

import logging
import re

# An API token as the platform issues them: gmmp_<prefix>_<secret>.
TOKEN_PATTERN = re.compile(r"gmmp_[0-9a-f]{10}_[A-Za-z0-9_\-]{20,}")


class RedactCredentialsFilter(logging.Filter):
    """Logs never carry a token, whatever logged it (django.request logs paths with their query)."""

    def filter(self, record):
        message = record.getMessage()
        if "gmmp_" in message:
            record.msg = TOKEN_PATTERN.sub("gmmp_[redacted]", message)
            record.args = ()
        return True
