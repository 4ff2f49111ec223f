"""The Celery app for bulk import on several machines (Redis as broker and result store).

Start a worker on each machine (same archive database, same files at the same paths):

    GONGBAO_BROKER=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://… \\
        celery -A gongbao.site.archive.celery worker --concurrency 4 -l info

and send a folder to them with ``gongbao import FOLDER --broker redis://127.0.0.1:6379/0``.

Tasks are acknowledged after they ran (``task_acks_late``), and a task whose
worker process died is handed back at once (``task_reject_on_worker_lost``).
When a whole worker machine is lost, Redis hands its unacknowledged tasks to
another worker after the visibility timeout, which is sized to the work: one
file may take ``GONGBAO_TASK_TIME_LIMIT`` seconds (default 75; raise it for long
OCR scans), the timeout is that plus a margin (90 s by default) and unacknowledged
tasks are looked for every 10 s, so a lost file runs again within two minutes,
never while its first run can still be going. The archive's content hash keeps
a repeated file from being imported twice.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_TIME_LIMIT = 75  # seconds for one file: a long text PDF, a few scanned pages
VISIBILITY_MARGIN = 15  # a task past its hard limit is gone before Redis hands it out again
RESTORE_INTERVAL = 10  # seconds between sweeps for unacknowledged tasks of lost workers


def time_limit() -> int:
    return int(os.environ.get("GONGBAO_TASK_TIME_LIMIT", "") or DEFAULT_TIME_LIMIT)


app = Celery("gongbao")


def configure(broker: str | None = None) -> Celery:
    url = broker or os.environ.get("GONGBAO_BROKER") or DEFAULT_BROKER
    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_default_queue=os.environ.get("GONGBAO_QUEUE", "gongbao-import"),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # The soft limit ends the file's transaction cleanly (it rolls back, reported
        # as failed); the hard limit stops a worker stuck in C code (OCR).
        task_soft_time_limit=time_limit(),
        task_time_limit=time_limit() + VISIBILITY_MARGIN // 3,
        broker_transport_options={
            "visibility_timeout": int(
                os.environ.get("GONGBAO_VISIBILITY_TIMEOUT", "") or time_limit() + VISIBILITY_MARGIN
            ),
            # kombu sweeps every interval × throttle seconds (100 s by default).
            "unacked_restore_interval": RESTORE_INTERVAL,
            "unacked_restore_throttle": 1,
        },
        result_expires=7 * 24 * 3600,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
    )
    return app


configure()


@app.task(
    name="gongbao.import_file",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded,),  # too slow once is too slow every time
    max_retries=3,
    retry_backoff=True,
)
def import_task(path: str, allow_removals: bool = False) -> dict:
    from gongbao.site.archive.task import import_one

    return import_one(path, allow_removals)


@worker_init.connect
def _setup_django(**kwargs) -> None:  # the worker needs the archive's models
    from gongbao.site import setup

    setup(migrate=False)
