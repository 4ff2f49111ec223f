"""时效性 in the archive: proposals stored and reviewed, status by date, documents expiring soon."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import pytest

from gongbao.core import parse_text
from gongbao.core.export.json import document_dict
from gongbao.core.lifecycle import status_on
from gongbao.core.model import Document as CoreDocument
from gongbao.site.archive.models import Document, Gazette, Issue
from gongbao.site.lifecycle import services
from gongbao.site.lifecycle.models import CONFIRMED, PROPOSAL, Correction, Life, Relation
from tests.conftest import SHANGHAI
from tests.test_lifecycle import LATER, RULE, expected_status, written_document

pytestmark = pytest.mark.django_db


def _store(core: CoreDocument, ident: str, number: int) -> Document:
    gazette, _ = Gazette.objects.get_or_create(
        slug="mouxian", defaults={"name": "牟县人民政府公报"}
    )
    year = core.date.year if core.date else 2000
    issue = Issue.objects.create(
        gazette=gazette,
        ident=f"mouxian-{year}-{number:02d}",
        year=year,
        number=number,
        status=Issue.PUBLISHED,
        content_hash=ident,
    )
    core.ident = ident
    return Document.objects.create(
        gazette=gazette,
        issue=issue,
        ident=ident,
        seq=1,
        kind=core.kind,
        title=core.title or "",
        doc_number=core.doc_number.text if core.doc_number else "",
        issuer=core.issuer or "",
        date=core.date,
        promulgates=core.promulgates.title if core.promulgates else "",
        data=document_dict(core),
    )


@pytest.fixture
def chain() -> dict[str, Document]:
    """The generated chain: a 2015 rule, amended 2017, extended 2020, repealed 2023."""
    docs = {"rule": _store(parse_text(RULE).documents[0], "mouzhengfa-2015-8", 1)}
    for n, (name, (number, day, body)) in enumerate(LATER.items(), start=2):
        core = written_document(body, number=number, day=day)
        docs[name] = _store(core, f"mou-{name}", n)
    for doc in docs.values():
        services.extract_for_document(doc)
    return docs


def _confirm_all() -> None:
    for row in [*Life.objects.all(), *Relation.objects.all()]:
        services.confirm(row)


def test_proposals_keep_sentence_anchor_and_link_by_number(chain) -> None:
    life = Life.objects.get(document=chain["rule"])
    assert (life.effective, life.expires, life.status) == (
        date(2015, 4, 1),
        date(2020, 3, 31),
        PROPOSAL,
    )
    assert life.sentence == "本办法自2015年4月1日起施行，有效期5年。"
    repeal = Relation.objects.get(source=chain["repeal"], kind="repeals")
    assert repeal.target == chain["rule"]
    assert repeal.sentence.endswith("同时废止。") and repeal.anchor
    basis = Relation.objects.get(source=chain["rule"], kind="based_on")
    assert (basis.target, basis.target_title) == (None, "中华人民共和国公路法")


def test_unconfirmed_proposals_change_nothing(chain) -> None:
    status = services.status_of(chain["rule"], date(2024, 1, 1))
    # In force from its 成文日期, with no end, until staff confirm what the texts say.
    assert (status.code, status.chain) == ("in_force", ())
    assert services.status_of(chain["rule"], date(2015, 3, 9)).code == "pending"


def test_generated_chain_on_every_day(chain) -> None:
    _confirm_all()
    names = {"amend", "extend", "repeal"}
    # Every day from what the archive confirmed (read once), then the boundaries page by page.
    effective, expires = services.own_dates(chain["rule"])
    changes = services.changes_for(chain["rule"])
    day = date(2015, 1, 1)
    while day <= date(2024, 12, 31):
        status = status_on(day, effective=effective, expires=expires, changes=changes)
        assert (status.code, status.expires) == expected_status(day, names), day
        day += timedelta(days=1)
    for day, code in [
        (date(2015, 3, 31), "pending"),
        (date(2015, 4, 1), "in_force"),
        (date(2017, 5, 31), "in_force"),
        (date(2017, 6, 1), "amended"),
        (date(2020, 3, 14), "amended"),
        (date(2020, 3, 31), "amended"),
        (date(2020, 4, 1), "amended"),
        (date(2023, 6, 30), "amended"),
        (date(2023, 7, 1), "repealed"),
    ]:
        assert services.status_of(chain["rule"], day).code == code, day
    assert services.status_of(chain["rule"], date(2023, 7, 1)).by == ("mou-repeal",)


def test_corrections_are_counted_and_survive_a_new_extraction(chain) -> None:
    life = Life.objects.get(document=chain["rule"])
    made = services.correct(life, effective=date(2015, 5, 1))
    assert [(c.field, c.before, c.after) for c in made] == [
        ("effective", "2015-04-01", "2015-05-01")
    ]
    services.extract_for_document(chain["rule"])
    life.refresh_from_db()
    assert (life.effective, life.status) == (date(2015, 5, 1), CONFIRMED)
    basis = Relation.objects.get(source=chain["rule"], kind="based_on")
    services.reject(basis)
    assert Correction.objects.filter(document=chain["rule"]).count() == 2
    with pytest.raises(ValueError):
        services.correct(life, sentence="x")


def test_relation_to_a_document_not_yet_imported_links_later() -> None:
    repeal = _store(written_document(LATER["repeal"][2], number="牟政发〔2023〕12号"), "r", 1)
    services.extract_for_document(repeal)
    row = Relation.objects.get(source=repeal, kind="repeals")
    assert (row.target, row.target_number) == (None, "牟政发〔2015〕8号")
    rule = _store(parse_text(RULE).documents[0], "mouzhengfa-2015-8", 2)
    services.extract_for_document(rule)
    row.refresh_from_db()
    assert row.target == rule


def _generated_archive(seed: int) -> list[Document]:
    """Documents with random confirmed ends, some extended or repealed by confirmed relations."""
    rng = random.Random(seed)
    gazette = Gazette.objects.create(slug="gen", name="生成公报")
    docs = []
    for i in range(60):
        issued = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1500))
        issue = Issue.objects.create(
            gazette=gazette,
            ident=f"gen-{i}",
            year=issued.year,
            number=i + 1,
            status=Issue.PUBLISHED,
            content_hash=str(i),
        )
        doc = Document.objects.create(
            gazette=gazette, issue=issue, ident=f"gen-{i}", seq=1, kind="notice",
            title=f"文件{i}", date=issued, data={},
        )  # fmt: skip
        expires = issued + timedelta(days=rng.randrange(200, 1500)) if rng.random() < 0.8 else None
        Life.objects.create(document=doc, effective=issued, expires=expires, status=CONFIRMED)
        docs.append(doc)
    for doc in docs:
        other = rng.choice(docs)
        if other is doc or rng.random() < 0.5:
            continue
        kind = rng.choice(["extends", "repeals", "amends"])
        # An extension runs to a day after it is made, as real ones do.
        later = max(doc.date, other.date)
        until = later + timedelta(days=rng.randrange(300, 2500)) if kind == "extends" else None
        Relation.objects.create(
            source=doc, kind=kind, target=other, target_key=other.ident, until=until,
            status=rng.choice([CONFIRMED, CONFIRMED, PROPOSAL]),
        )  # fmt: skip
    return docs


@pytest.mark.parametrize("within", [30, 90, 180])
def test_expiring_matches_a_day_by_day_walk(within: int) -> None:
    docs = _generated_archive(seed=16)
    as_of = date(2023, 6, 1)
    found = [
        (e.document.ident, e.expires) for e in services.expiring(as_of, within, Document.objects)
    ]
    brute = []
    for doc in docs:
        effective, expires = services.own_dates(doc)
        changes = services.changes_for(doc)

        def on(day: date, effective=effective, expires=expires, changes=changes):
            return status_on(day, effective=effective, expires=expires, changes=changes)

        if not on(as_of).in_force:
            continue
        for offset in range(within + 1):
            day = as_of + timedelta(days=offset)
            if on(day + timedelta(days=1)).code == "expired":
                brute.append((doc.ident, day))
                break
    assert sorted(found, key=lambda f: (f[1], f[0])) == sorted(brute, key=lambda f: (f[1], f[0]))
    if within == 180:
        assert found, "the generated archive has documents expiring in the window"


def test_document_page_shows_status_banner_chain_and_timeline(chain, client, clock) -> None:
    _confirm_all()
    published = datetime(2015, 3, 20, 9, 0, tzinfo=SHANGHAI)
    Issue.objects.filter(pk=chain["rule"].issue_id).update(published_at=published)
    url = "/doc/mouzhengfa-2015-8/"  # the only gazette is the default one, at the root
    # One query string per day: the page cache keeps a page for minutes, not across days.
    clock.move_to(date(2018, 1, 2))
    html = client.get(url + "?day=2018").content.decode()
    assert "时效性：<strong>已修改（《" in html
    assert "lifecycle-banner" not in html
    clock.move_to(date(2024, 1, 2))
    html = client.get(url + "?day=2024").content.decode()
    assert "已废止（《" in html and "lifecycle-banner" in html
    assert html.count("<li><time") >= 3  # amended, extended, repealed
    assert '<svg class="lifecycle-timeline"' in html and "有效期届满" not in html
    assert "刊载于第1期 2015-03-20" in html  # the issue that printed it, published that day


def test_api_status_in_force_and_expiring(chain, client, settings) -> None:
    settings.GONGBAO_API_RATE = 100_000
    base = "/api/v1"
    before = client.get(f"{base}/documents/mouxian/mouzhengfa-2015-8/status?on=2016-01-01").json()
    assert (before["status"], before["label"]) == (None, "未确认")
    _confirm_all()
    on = client.get(f"{base}/documents/mouxian/mouzhengfa-2015-8/status?on=2020-03-15").json()
    assert (on["status"], on["expires"], on["in_force"]) == ("amended", "2023-12-31", True)
    assert [c["kind"] for c in on["chain"]] == ["amends", "extends"]
    gone = client.get(f"{base}/documents/mouxian/mouzhengfa-2015-8/status?on=2023-07-01").json()
    assert (gone["status"], gone["by"]) == ("repealed", ["mou-repeal"])
    repeal = client.get(f"{base}/documents/mouxian/mou-repeal/status").json()
    assert [(r["kind"], r["target"]) for r in repeal["relations"]] == [
        ("repeals", "mouzhengfa-2015-8")
    ]
    in_force = client.get(f"{base}/lifecycle/in-force?on=2023-06-30").json()
    assert "mouzhengfa-2015-8" in [r["id"] for r in in_force["results"]]
    later = client.get(f"{base}/lifecycle/in-force?on=2023-07-01").json()
    assert "mouzhengfa-2015-8" not in [r["id"] for r in later["results"]]
    soon = client.get(f"{base}/lifecycle/expiring?on=2023-10-01&days=91").json()
    assert soon["results"] == []  # repealed before its end
    assert client.get(f"{base}/lifecycle/expiring?days=0").status_code == 400
    assert client.get(f"{base}/documents/mouxian/nothing/status").status_code == 404
    services.reject(Relation.objects.get(source=chain["repeal"], kind="repeals"))
    # Another URL: the page cache may serve the same one for minutes.
    soon = client.get(f"{base}/lifecycle/expiring?days=91&on=2023-10-01").json()
    assert [(r["id"], r["expires"], r["days_left"]) for r in soon["results"]] == [
        ("mouzhengfa-2015-8", "2023-12-31", 91)
    ]


def _staff(client, role: str):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(f"{role}1", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def test_editor_corrects_and_confirms_in_the_admin(chain, client) -> None:
    editor = _staff(client, "editor")
    life = Life.objects.get(document=chain["rule"])
    url = f"/admin/lifecycle/life/{life.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"effective": "2015-05-01", "expires": "2020-04-30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    life.refresh_from_db()
    assert (life.effective, life.expires, life.status, life.reviewed_by) == (
        date(2015, 5, 1),
        date(2020, 4, 30),
        CONFIRMED,
        editor,
    )
    assert Correction.objects.filter(document=chain["rule"], user=editor).count() == 2
    rows = Relation.objects.filter(source=chain["repeal"])
    response = client.post(
        "/admin/lifecycle/relation/",
        {"action": "confirm", "_selected_action": [r.pk for r in rows]},
    )
    assert response.status_code == 302
    assert set(rows.values_list("status", flat=True)) == {CONFIRMED}


def test_reviewer_may_look_but_not_confirm(chain, client) -> None:
    _staff(client, "reviewer")
    rows = Relation.objects.filter(source=chain["repeal"])
    assert client.get("/admin/lifecycle/relation/").status_code == 200
    client.post(
        "/admin/lifecycle/relation/",
        {"action": "confirm", "_selected_action": [r.pk for r in rows]},
    )
    assert set(rows.values_list("status", flat=True)) == {PROPOSAL}


def test_cli_extract_status_and_expiring(chain, capsys) -> None:
    from gongbao.cli import main

    assert main(["lifecycle", "extract", "mouzhengfa-2015-8"]) == 0
    assert "mouzhengfa-2015-8：" in capsys.readouterr().out
    _confirm_all()
    assert main(["lifecycle", "status", "mouzhengfa-2015-8", "--on", "2023-07-01"]) == 0
    out = capsys.readouterr().out
    assert "已废止（mou-repeal）" in out and "2020-03-15  mou-extend 延长有效期至 2023-12-31" in out
    Relation.objects.filter(kind="repeals").update(status=PROPOSAL)
    assert main(["lifecycle", "expiring", "--as-of", "2023-12-01", "--days", "30"]) == 0
    assert "2023-12-31  剩 30 天  牟政发〔2015〕8号" in capsys.readouterr().out
    assert main(["lifecycle", "expiring", "--format", "csv", "--as-of", "2023-12-01"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("mouzhengfa-2015-8,牟政发〔2015〕8号")
    assert main(["lifecycle", "cleanup", "--as-of", "2024-01-01", "--format", "csv"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.startswith("有效期已届满且未延长,mouzhengfa-2015-8,牟政发〔2015〕8号")
    assert main(["lifecycle", "status", "mouzhengfa-2015-8", "--on", "1.7.2023"]) == 2
    assert main(["lifecycle", "extract", "no-such-doc"]) == 1


def test_cli_read_needs_no_archive(capsys) -> None:
    from gongbao.cli import main
    from tests.conftest import shared_path

    assert (
        main(
            ["lifecycle", "read", str(shared_path("corpus", "real", "lawref-samr-ling45-2021.txt"))]
        )
        == 0
    )
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["effective"]["date"] == "2021-09-01"


def test_cleanup_list_matches_a_day_by_day_walk() -> None:
    docs = _generated_archive(seed=7)
    rng = random.Random(8)
    for doc in docs[::3]:
        basis = rng.choice(docs)
        if basis is not doc:
            Relation.objects.get_or_create(
                source=doc, kind="based_on", target_key=basis.ident,
                defaults={"target": basis, "status": CONFIRMED},
            )  # fmt: skip
    as_of = date(2024, 1, 1)
    found = {
        (r.document.ident, r.reason, r.expires, r.cited)
        for r in services.cleanup(as_of, Document.objects)
    }
    brute = set()
    with_facts = services.documents_with_facts()
    for doc in docs:
        if doc.pk not in with_facts:
            continue
        effective, expires = services.own_dates(doc)
        changes = services.changes_for(doc)

        def on(day: date, effective=effective, expires=expires, changes=changes):
            return status_on(day, effective=effective, expires=expires, changes=changes)

        if on(as_of).code == "expired":
            brute.add((doc.ident, "expired", on(as_of).expires, ""))
        elif on(as_of).in_force:
            for offset in range(181):
                day = as_of + timedelta(days=offset)
                if on(day + timedelta(days=1)).code == "expired":
                    reason = "expiring_90" if offset <= 90 else "expiring_180"
                    brute.add((doc.ident, reason, day, ""))
                    break
        for rel in Relation.objects.filter(source=doc, kind="based_on", status=CONFIRMED):
            if services.status_of(rel.target, as_of).code in ("repealed", "expired"):
                brute.add((doc.ident, "cites_ended", None, rel.target.ident))
    assert found == brute
    assert {reason for _, reason, _, _ in found} == set(services.CLEANUP_REASONS)


def test_expiring_feed(chain, client, clock) -> None:
    _confirm_all()
    Relation.objects.filter(kind="repeals").update(status=PROPOSAL)
    clock.move_to(date(2023, 12, 1))
    body = client.get("/feeds/expiring.atom?days=30").content.decode()
    assert "关于印发牟县农村道路管理办法的通知（牟政发〔2015〕8号）：有效期至2023-12-31" in body
    assert "还有30天" in body
    rss = client.get("/feeds/expiring.rss?days=29").content.decode()
    assert "牟政发〔2015〕8号" not in rss and "<rss" in rss
    assert client.get("/feeds/expiring.atom?days=0").status_code == 400
    assert client.get("/feeds/expiring.atom?days=x").status_code == 400


def test_search_only_in_force_on_a_day(chain, client) -> None:
    from gongbao.site.search import sync

    _confirm_all()
    assert sync.rebuild() == 4
    before = client.get("/search/?q=牟县&in_force_on=2023-06-30").content.decode()
    after = client.get("/search/?q=牟县&in_force_on=2023-07-01").content.decode()
    assert "/doc/mouzhengfa-2015-8/" in before
    assert "/doc/mouzhengfa-2015-8/" not in after
    assert "/doc/mou-repeal/" in after  # the repealing document is itself in force
    assert 'name="in_force_on" value="2023-07-01"' in after
    none = client.get("/search/?q=牟县&in_force_on=2000-01-01").content.decode()
    assert "/doc/mou" not in none


def test_correction_stats_and_the_admins_end_filter(chain, client, clock) -> None:
    _staff(client, "editor")
    _confirm_all()
    services.correct(Life.objects.get(document=chain["rule"]), expires=date(2020, 4, 30))
    services.reject(Relation.objects.get(source=chain["rule"], kind="based_on"))
    stats = services.correction_stats()
    assert (stats["corrected"], stats["per_field"]) == (2, {"expires": 1, "status": 1})
    assert stats["reviewed"] == Life.objects.count() + Relation.objects.count()
    Relation.objects.filter(kind="repeals").update(status=PROPOSAL)
    clock.move_to(date(2023, 10, 15))
    html = client.get("/admin/lifecycle/life/?ends=90").content.decode()
    assert "关于印发牟县农村道路管理办法的通知" in html
    clock.move_to(date(2024, 1, 2))
    html = client.get("/admin/lifecycle/life/?ends=past").content.decode()
    assert "关于印发牟县农村道路管理办法的通知" in html
    assert (
        "关于印发牟县农村道路管理办法的通知"
        not in client.get("/admin/lifecycle/life/?ends=180").content.decode()
    )


def test_api_akn_carries_the_confirmed_lifecycle(chain, client, settings) -> None:
    from lxml import etree

    from gongbao.core.export import akn

    settings.GONGBAO_API_RATE = 100_000
    url = "/api/v1/documents/mouxian/mouzhengfa-2015-8/akn"
    plain = client.get(url)
    assert plain.status_code == 200 and b"<lifecycle" not in plain.content
    _confirm_all()
    response = client.get(url + "?v=2")  # another URL: the page cache keeps one for minutes
    root = etree.fromstring(response.content)
    assert akn.validate(root) == []
    events = root.xpath("//a:lifecycle/a:eventRef/@refersTo", namespaces={"a": akn.AKN_NS})
    assert events == ["#generation", "#entryIntoForce", "#amendment", "#prorogation", "#repeal"]
    refs = root.xpath("//a:passiveRef/@href", namespaces={"a": akn.AKN_NS})
    assert refs[-1].endswith("/mou-repeal")
