"""Settings for the test suite: the production settings, in a throwaway data directory.

The directory is made before the settings are read, so secrets, keys, evidence files and indexes
written by tests never touch ./var/ and disappear at the end of the session.
"""

import atexit
import os
import shutil
import tempfile

_data_dir = tempfile.mkdtemp(prefix="gmmp-test-data-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["GMMP_DATA_DIR"] = _data_dir
os.environ.setdefault("GMMP_ENV", "local")

from gmmp.settings import *  # noqa: E402,F403

# Hashing is deliberate slowness; the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
