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
- every failed file comes back with its reason;
- Ctrl-C stops a run within a second or two: workers ignore SIGINT (the parent
  decides), files not started are cancelled, files in progress get half a second to
  finish and are then stopped (their transaction rolls back), and
  ``ImportInterrupted`` carries what was done and what was not, checked
  against the archive's import records so that the summary tells the truth.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

# the task itself, shared with the Celery app (which must not import this module)
from gongbao.site.archive.task import already_imported, import_one

if TYPE_CHECKING:  # the module stays importable before Django is set up (worker start)
    from gongbao.site.archive.services import ImportOutcome

__all__ = [
    "ImportInterrupted",
    "already_imported",
    "finished_since",
    "import_one",
    "run_celery",
    "run_local",
]

CRASH_RETRIES = 3
GRACE_SECONDS = 0.5  # after Ctrl-C, how long files in progress may take to finish
Progress = Callable[[int, int, str], None]


class ImportInterrupted(Exception):
    """Ctrl-C during a run: the outcomes of the files done, and the files left unimported."""

    def __init__(self, done: list[ImportOutcome], unfinished: list[str]) -> None:
        super().__init__(f"interrupted: {len(done)} done, {len(unfinished)} left")
        self.done = done
        self.unfinished = unfinished


def finished_since(path: str, since: datetime) -> ImportOutcome | None:
    """The outcome the archive recorded for ``path`` since ``since``, if any.

    A file whose transaction committed just before the run was stopped is in
    the archive although its result never came back; its import record says so.
    """
    from gongbao.site.archive.models import ImportRecord
    from gongbao.site.archive.services import ImportOutcome

    record = (
        ImportRecord.objects.filter(path=path, created_at__gte=since)
        .select_related("issue")
        .order_by("-created_at", "-pk")
        .first()
    )
    if record is None:
        return None
    ident = record.issue.ident if record.issue else ""
    return ImportOutcome(path, record.outcome, record.message, ident, record.version)


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; only the parent acts on it, so a
    # worker never half-handles it and goes on with the next file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from gongbao.site import setup

    setup(migrate=False)


def run_local(
    files: Iterable[Path],
    workers: int,
    progress: Progress | None = None,
    allow_removals: bool = False,
) -> list[ImportOutcome]:
    """Import ``files`` with ``workers`` processes; a crashed worker's files are retried.

    Raises ``ImportInterrupted`` on Ctrl-C (see the module docstring).
    """
    from django.db import connections
    from django.utils import timezone

    from gongbao.site.archive.services import ImportOutcome

    paths = [str(p) for p in files]
    pending = list(paths)
    total = len(pending)
    results: dict[str, ImportOutcome] = {}
    crashes: dict[str, int] = {}
    started = timezone.now()
    connections.close_all()  # no connection crosses into the workers
    while pending:
        pool = ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=get_context("spawn"), initializer=_init_worker
        )
        futures = {pool.submit(import_one, path, allow_removals): path for path in pending}
        try:
            broken = _collect(futures, results, total, progress)
        except KeyboardInterrupt:
            _stop(pool, futures, results)
            raise _interrupted(paths, results, started) from None
        pool.shutdown(wait=not broken, cancel_futures=True)
        pending = [p for p in pending if p not in results]
        for path in pending:
            crashes[path] = crashes.get(path, 0) + 1
            if crashes[path] >= CRASH_RETRIES:
                results[path] = ImportOutcome(
                    path, "failed", f"工作进程在处理此文件时崩溃（已重试 {CRASH_RETRIES} 次）"
                )
        pending = [p for p in pending if p not in results]
    return [results[p] for p in paths]


def _collect(futures: dict, results: dict, total: int, progress: Progress | None) -> bool:
    """Gather results as they come; True when the pool broke (a worker died)."""
    from gongbao.site.archive.services import ImportOutcome

    todo = set(futures)
    while todo:
        done, todo = wait(todo, return_when=FIRST_COMPLETED)
        broken = False
        for future in done:
            path = futures[future]
            if not _take(future, path, results, ImportOutcome):
                broken = True
                continue
            if progress:
                progress(len(results), total, Path(path).name)
        if broken:
            return True
    return False


def _take(future, path: str, results: dict, outcome_type) -> bool:
    """Store one finished future's outcome; False when its worker died."""
    try:
        results[path] = outcome_type(**future.result())
    except BrokenProcessPool:
        return False
    except Exception as exc:  # a bug: report it with the file, go on
        results[path] = outcome_type(path, "failed", f"导入出错：{exc}")
    return True


def _stop(pool: ProcessPoolExecutor, futures: dict, results: dict) -> None:
    """Ctrl-C: cancel what has not started, let running files finish briefly, stop the rest."""
    from gongbao.site.archive.services import ImportOutcome

    running = [f for f in futures if not f.done()]
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    done, _ = wait(running, timeout=GRACE_SECONDS)
    for future in done:
        if not future.cancelled():
            _take(future, futures[future], results, ImportOutcome)
    # A stopped worker's transaction was not committed: the database rolls it back.
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=GRACE_SECONDS)


def _interrupted(paths: list[str], results: dict, started: datetime) -> ImportInterrupted:
    for path in paths:
        if path not in results and (found := finished_since(path, started)) is not None:
            results[path] = found
    return ImportInterrupted(
        [results[p] for p in paths if p in results], [p for p in paths if p not in results]
    )


def run_celery(
    files: Iterable[Path],
    broker: str,
    progress: Progress | None = None,
    poll: float = 0.5,
    allow_removals: bool = False,
) -> list[ImportOutcome]:
    """Send one task per file to the Celery workers behind ``broker``; wait for all.

    On Ctrl-C the tasks not yet finished are revoked and ``ImportInterrupted`` is raised.
    """
    from django.utils import timezone

    from gongbao.site.archive.celery import configure, import_task
    from gongbao.site.archive.services import ImportOutcome

    app = configure(broker)
    started = timezone.now()
    paths = [str(Path(p).resolve()) for p in files]
    results: dict[str, ImportOutcome] = {}
    waiting: dict = {}
    try:
        for p in paths:
            handle = import_task.apply_async((p, allow_removals), queue=app.conf.task_default_queue)
            waiting[handle] = p
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
    except KeyboardInterrupt:
        # A task already running finishes (or rolls back) on its worker; the rest never start.
        for handle in waiting:
            handle.revoke()
        raise _interrupted(paths, results, started) from None
    return [results[p] for p in paths]
