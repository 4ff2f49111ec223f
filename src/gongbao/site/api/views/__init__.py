"""The REST API, version 1: gazettes, issues, documents, citations, versions, AKN, bundles.

One module per resource (``index``, ``issues``, ``search`` for ``/documents``,
``documents`` for one document), all on the ``api`` of ``common``; importing
this package registers their routes in this order. The OpenAPI 3 schema is at
``/api/v1/openapi.json`` and the interactive docs at ``/api/v1/docs``.
"""

from __future__ import annotations

from gongbao.site.api.views import index, issues, search  # noqa: F401  (registers the routes)

# isort: split
from gongbao.site.api.views import documents  # noqa: F401
from gongbao.site.api.views.common import api
from gongbao.site.lifecycle.api import router as lifecycle_router

# 时效性 endpoints live with their app; mounted here so they share the API's errors and limits.
api.add_router("/", lifecycle_router)

__all__ = ["api"]
