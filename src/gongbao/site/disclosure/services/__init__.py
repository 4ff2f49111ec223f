"""Disclosure services: the only code that writes disclosure rows (views, CLI and tests call them).

Every change writes an ``AuditEntry`` (who, when, before, after). Request state
changes go through ``TRANSITIONS``; a refused one raises ``DisclosureError`` with
a message for the user and changes nothing. One module per workflow: ``common``
(refusals, the audit log), ``calendar`` and ``holidays`` (the working-day
schedule), ``attributes`` (公开属性, 索引号), ``privacy_review``, ``requests``
(依申请公开), ``messages`` (留言), ``publication`` (Art 26), ``annual_report``; this package gives
callers all of them as ``services.<name>``.
"""

from gongbao.site.disclosure.services.annual_report import *  # noqa: F403
from gongbao.site.disclosure.services.attributes import *  # noqa: F403
from gongbao.site.disclosure.services.calendar import *  # noqa: F403
from gongbao.site.disclosure.services.common import *  # noqa: F403
from gongbao.site.disclosure.services.holidays import *  # noqa: F403
from gongbao.site.disclosure.services.messages import *  # noqa: F403
from gongbao.site.disclosure.services.privacy_review import *  # noqa: F403
from gongbao.site.disclosure.services.publication import *  # noqa: F403
from gongbao.site.disclosure.services.requests import *  # noqa: F403
