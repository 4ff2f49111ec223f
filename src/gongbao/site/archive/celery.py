"""The Celery app for bulk import on several machines (Redis as broker and result store).

Start a worker on each machine (same archive database, same files at the same paths):

    GONGBAO_BROKER=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://… \\
        celery -A gongbao.site.archive.celery worker --concurrency 4 -l info

and send a folder to them with ``gongbao import FOLDER --broker redis://127.0.0.1:6379/0``.
Tasks are acknowledged after they ran, so a worker that dies mid-file hands the
file to another worker once ``GONGBAO_VISIBILITY_TIMEOUT`` seconds (default
3600) have passed; the archive's content hash keeps a repeated file from being
imported twice.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"

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
        broker_transport_options={
            "visibility_timeout": int(os.environ.get("GONGBAO_VISIBILITY_TIMEOUT", "3600"))
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
    max_retries=3,
    retry_backoff=True,
)
def import_task(path: str) -> dict:
    from gongbao.site.archive.jobs import import_one

    return import_one(path)


@worker_init.connect
def _setup_django(**kwargs) -> None:  # the worker needs the archive's models
    from gongbao.site import setup

    setup(migrate=False)
