"""Settings for the test suite: the real site settings, with a throwaway data folder.

``DATABASE_URL`` chooses PostgreSQL (``scripts/test.sh`` runs the site tests on
both databases); without it the embedded SQLite is used.
"""

import os
import tempfile

os.environ.setdefault("GONGBAO_HOME", tempfile.mkdtemp(prefix="gongbao-test-"))
# The tests import the real sample issue: they read its county's profile too (unit
# names, the disclosure office and its 索引号 scheme, the catalog areas).
os.environ.setdefault(
    "GONGBAO_PROFILE", os.path.join(os.path.dirname(__file__), "..", "samples", "guanxian.toml")
)

from gongbao.site.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
