"""Bulk import on a job queue: worker processes on one machine, or Celery workers on many.

``run_local(files, workers)`` imports in a pool of worker processes;
``run_celery(files, broker)`` sends the same task (``import_one``) to Celery
workers through Redis (``gongbao.site.archive.celery``). Either way:

- each file is one task and one transaction (``services.import_file``), so a
  file is in the archive completely or not at all;
- a file whose content the archive already holds (the issue's content hash) is
  not read again: an interrupted run is simply started again (resumable);
- a worker that dies (kill -9, out of memory) loses nothing: locally the pool
  is restarted and the unfinished files retried; on Celery the task is acked
  only after it ran (``acks_late``), so Redis hands it to the next worker, and
  the content hash makes a repeat of a finished file a no-op (never twice);
- every failed file comes back with its reason.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the module stays importable before Django is set up (worker start)
    from gongbao.site.archive.services import ImportOutcome

CRASH_RETRIES = 3
Progress = Callable[[int, int, str], None]


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


def import_one(path: str) -> dict:
    """The task: import one file (in whatever process runs it) and say how it went."""
    from gongbao.site.archive.services import import_file

    delay = float(os.environ.get("GONGBAO_TASK_DELAY", "0") or 0)  # tests: a slow task
    if delay:
        time.sleep(delay)
    done = already_imported(Path(path))
    return asdict(done if done is not None else import_file(path))


def _init_worker() -> None:
    from gongbao.site import setup

    setup(migrate=False)


def run_local(
    files: Iterable[Path], workers: int, progress: Progress | None = None
) -> list[ImportOutcome]:
    """Import ``files`` with ``workers`` processes; a crashed worker's files are retried."""
    from django.db import connections

    from gongbao.site.archive.services import ImportOutcome

    paths = [str(p) for p in files]
    pending = list(paths)
    total = len(pending)
    results: dict[str, ImportOutcome] = {}
    crashes: dict[str, int] = {}
    connections.close_all()  # no connection crosses into the workers
    while pending:
        with ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=get_context("spawn"), initializer=_init_worker
        ) as pool:
            futures = {pool.submit(import_one, path): path for path in pending}
            broken = False
            todo = set(futures)
            while todo and not broken:
                done, todo = wait(todo, return_when=FIRST_COMPLETED)
                for future in done:
                    path = futures[future]
                    try:
                        results[path] = ImportOutcome(**future.result())
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # a bug: report it with the file, go on
                        results[path] = ImportOutcome(path, "failed", f"导入出错：{exc}")
                    if progress:
                        progress(len(results), total, Path(path).name)
            if broken:
                pool.shutdown(wait=False, cancel_futures=True)
        pending = [p for p in pending if p not in results]
        for path in pending:
            crashes[path] = crashes.get(path, 0) + 1
            if crashes[path] >= CRASH_RETRIES:
                results[path] = ImportOutcome(
                    path, "failed", f"工作进程在处理此文件时崩溃（已重试 {CRASH_RETRIES} 次）"
                )
        pending = [p for p in pending if p not in results]
    return [results[p] for p in paths]


def run_celery(
    files: Iterable[Path], broker: str, progress: Progress | None = None, poll: float = 0.5
) -> list[ImportOutcome]:
    """Send one task per file to the Celery workers behind ``broker``; wait for all."""
    from gongbao.site.archive.celery import configure, import_task
    from gongbao.site.archive.services import ImportOutcome

    app = configure(broker)
    paths = [str(Path(p).resolve()) for p in files]
    sent = {import_task.apply_async((p,), queue=app.conf.task_default_queue): p for p in paths}
    results: dict[str, ImportOutcome] = {}
    waiting = dict(sent)
    while waiting:
        for handle, path in list(waiting.items()):
            if not handle.ready():
                continue
            del waiting[handle]
            if handle.successful():
                results[path] = ImportOutcome(**handle.result)
            else:
                results[path] = ImportOutcome(path, "failed", f"任务失败：{handle.result}")
            handle.forget()
            if progress:
                progress(len(results), len(paths), Path(path).name)
        if waiting:
            time.sleep(poll)
    return [results[p] for p in paths]
