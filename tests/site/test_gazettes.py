"""Gazette profiles on the site: the file until staff save one, checked before saving, history kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from gongbao.site.archive.models import Gazette
from gongbao.site.disclosure.models import AuditEntry, CatalogItem, Config
from gongbao.site.gazettes import services
from gongbao.site.gazettes.models import Profile
from gongbao.site.tracker.services import unit_profile

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parents[2] / "samples" / "guanxian.toml"
OTHER = """
[gazette]
name = "某县人民政府公报"
[[organs]]
name = "某县人民政府"
codes = ["某政发"]
[[sections]]
name = "县政府文件"
organs = ["某县人民政府"]
[units.aliases]
"县财政局" = ["财政局"]
[disclosure]
organ = "某县人民政府办公室"
org_code = "MX"
"""


@pytest.fixture
def gazette() -> Gazette:
    return Gazette.objects.create(slug="guanxian", name="冠县人民政府公报")


def test_the_file_is_the_default_gazettes_profile_until_staff_save_one(gazette) -> None:
    # the tests' settings name samples/guanxian.toml (GONGBAO_PROFILE)
    assert [s.name for s in services.sections(gazette)][:2] == ["领导讲话", "县政府文件"]
    assert Config.get().org_code == "GX" and Config.get().organ == "冠县人民政府办公室"
    assert unit_profile()["县环保局"][0] == "县环境保护局"
    # the catalog was seeded from the profile's [[catalog]]
    assert CatalogItem.objects.get(code="HB").responsible_unit == "县环保局"

    services.save_profile(gazette, OTHER)
    assert [s.name for s in services.sections(gazette)] == ["县政府文件"]
    assert services.sections(gazette)[0].organs == ("某县人民政府",)
    assert Config.get().org_code == "MX"
    assert unit_profile() == {"县财政局": ["财政局"]}


def test_another_gazette_without_a_profile_has_no_sections(gazette) -> None:
    other = Gazette.objects.create(slug="mouxian", name="某县人民政府公报")
    assert services.sections(other) == []
    services.save_profile(other, OTHER)
    assert [s.name for s in services.sections(other)] == ["县政府文件"]
    # the file is the gazette's its slug names
    assert services.sections(gazette)[0].name == "领导讲话"


def test_a_bad_profile_is_refused_and_nothing_saved(gazette) -> None:
    with pytest.raises(services.ProfileError, match="缺少 \\[gazette\\]"):
        services.save_profile(gazette, "[[organs]]\nname = 'x'\n")
    assert not Profile.objects.exists()


def test_staff_edit_it_in_the_admin_checked_before_saving(client, gazette) -> None:
    user = User.objects.create_superuser("chief", password="correct horse battery")
    client.force_login(user)
    url = "/admin/gazettes/profile/add/"
    page = client.get(url, {"gazette": gazette.pk})
    assert page.status_code == 200
    bad = client.post(url, {"gazette": gazette.pk, "text": '[gazette]\nname = ""\n'})
    assert bad.status_code == 200
    assert "[gazette] 公报：缺少 name" in bad.content.decode()
    assert not Profile.objects.exists()
    first = SAMPLE.read_text("utf-8")
    assert client.post(url, {"gazette": gazette.pk, "text": first}).status_code == 302
    assert (
        client.post(url, {"gazette": gazette.pk, "text": OTHER, "note": "换县"}).status_code == 302
    )
    # both versions kept, the newest applies, who saved it is recorded
    rows = list(Profile.objects.filter(gazette=gazette).order_by("saved_at", "id"))
    names = [services.parse_profile(r.text).name for r in rows]
    assert names == ["冠县人民政府公报", "某县人民政府公报"] and rows[1].saved_by == user
    assert rows[1].note == "换县"
    assert services.profile_of(gazette).name == "某县人民政府公报"
    # a new version starts from the current text; an old one is shown, never changed
    assert "某县人民政府公报" in client.get(url, {"gazette": gazette.pk}).content.decode()
    old = client.get(f"/admin/gazettes/profile/{rows[0].pk}/change/")
    assert old.status_code == 200 and 'name="text"' not in old.content.decode()


def test_the_admin_role_saves_profiles_and_editors_only_read_them(client, gazette) -> None:
    from tests.site.disclosure_helpers import staff

    url = "/admin/gazettes/profile/add/"
    client.force_login(staff("ed", "editor"))
    assert client.get("/admin/gazettes/profile/").status_code == 200
    assert client.post(url, {"gazette": gazette.pk, "text": OTHER}).status_code == 403
    client.force_login(staff("boss", "admin"))
    assert client.post(url, {"gazette": gazette.pk, "text": OTHER}).status_code == 302
    assert Profile.objects.get().saved_by.username == "boss"


def test_a_saved_profile_is_in_the_audit_log(client, gazette) -> None:
    client.force_login(User.objects.create_superuser("chief", password="correct horse battery"))
    url = "/admin/gazettes/profile/add/"
    assert (
        client.post(url, {"gazette": gazette.pk, "text": OTHER, "note": "换县"}).status_code == 302
    )
    entry = AuditEntry.objects.get(subject="gazette:guanxian")
    assert (entry.action, entry.actor.username) == ("profile.save", "chief")
    assert (entry.after, entry.note) == ("第1版：某县人民政府公报", "换县")
    # staff read it in Chinese in the disclosure dashboard's audit list
    assert "公报 guanxian 保存公报配置" in client.get("/xxgk/staff/").content.decode()
    # a refused text is neither saved nor logged
    client.post(url, {"gazette": gazette.pk, "text": '[gazette]\nname = ""\n'})
    assert AuditEntry.objects.filter(subject="gazette:guanxian").count() == 1
