"""One import task: import one file in whatever process runs it, and say how it went.

Reads: a file path and the archive (is this content already the current
version?). Writes: the archive, through ``services.import_file``. Run by the
local worker pool (``jobs.run_local``) and by Celery workers
(``celery.import_task``): both import it from here, so neither of those two
modules imports the other back. Importable before Django is set up (a Celery
worker loads it at start): Django is imported inside the functions.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongbao.site.archive.services import ImportOutcome


def already_imported(path: Path) -> ImportOutcome | None:
    """The file's exact content is already the current version of its issue: nothing to do."""
    from gongbao.site.archive.models import ImportRecord, Issue
    from gongbao.site.archive.services import ImportOutcome

    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    issue = Issue.objects.filter(content_hash=digest).first()
    if issue is None:
        return None
    from gongbao.site.archive.services import with_lock_retries

    with_lock_retries(
        lambda: ImportRecord.objects.create(
            path=str(path), content_hash=digest, outcome=ImportRecord.UNCHANGED, issue=issue
        )
    )
    return ImportOutcome(str(path), ImportRecord.UNCHANGED, issue=issue.ident)


def import_one(path: str, allow_removals: bool = False) -> dict:
    """The task: import one file (in whatever process runs it) and say how it went."""
    from django.conf import settings

    from gongbao.site.archive.services import import_file

    delay = getattr(settings, "GONGBAO_TASK_DELAY", 0)  # tests: a slow task
    if delay:
        time.sleep(delay)
    done = already_imported(Path(path))
    return asdict(done if done is not None else import_file(path, allow_removals=allow_removals))
