"""Bulk files, AKN, citations, manifests and signatures, verification, PDFs, sitemap, keys."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

from gongbao.cli import main
from gongbao.core import integrity
from gongbao.core.export import akn
from gongbao.core.export.akn_read import read_akn
from gongbao.site.archive.models import Document
from gongbao.site.opendata import bulk, history, keys, services
from gongbao.site.opendata.models import CitationLink, Manifest
from gongbao.site.opendata.verify import verify_bytes
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata, draft_issue = helpers.opendata, helpers.draft_issue
draft_words = helpers.draft_words
DOC46 = "guanzhengbanfa-2018-46"


def _correct(sample_path: Path, tmp_path: Path, old: str, new: str):
    """Import a corrected copy of the sample (勘误): a new version of the same issue."""
    from gongbao.site.archive.services import import_file

    text = sample_path.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "corrected" / sample_path.name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    outcome = import_file(path, allow_removals=True, note="勘误", reason="原文有误")
    if outcome.outcome == "held":  # a published issue: the correction waits for a reviewer
        from django.contrib.auth.models import Group, User

        from gongbao.site.archive.models import ImportRecord
        from gongbao.site.review import services as review
        from gongbao.site.review.models import Publication

        reviewer, _ = User.objects.get_or_create(username="opendata-reviewer")
        reviewer.groups.add(Group.objects.get(name="reviewer"))
        reviewer = User.objects.get(pk=reviewer.pk)  # permissions are cached per object
        review.approve(Publication.objects.get(status=Publication.PENDING), reviewer)
        outcome = ImportRecord.objects.latest("pk")
    assert outcome.outcome == "updated", outcome.message
    return outcome


# -- bulk files ---------------------------------------------------------------------


def test_bulk_files_written_on_publish(opendata, sample_issue):
    folder = bulk.bulk_dir()
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert names == [
        "guanxian-2018.akn.zip",
        "guanxian-2018.csv",
        "guanxian-2018.jsonl",
        "guanxian-2018.sums.json",
    ]
    raw = (folder / "guanxian-2018.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 18 and rows[0]["issue"] == "guanxian-2018-03"
    lines = (folder / "guanxian-2018.jsonl").read_bytes().splitlines()
    assert len(lines) == 18
    for line in lines:
        row = json.loads(line)
        assert integrity.document_hash(row["document"]) == row["sha256"]
    with zipfile.ZipFile(folder / "guanxian-2018.akn.zip") as z:
        (name,) = z.namelist()
        assert akn.validate(etree.fromstring(z.read(name))) == []
    report = verify_bytes(
        (folder / "guanxian-2018.sums.json").read_bytes(), keys=keys.public_keys(), folders=[folder]
    )
    assert report.ok and len(report.checked) == 5  # Ed25519 and SM2 signatures, three files
    page = Client().get("/data/").content.decode()
    sums = json.loads((folder / "guanxian-2018.sums.json").read_text())["manifest"]
    for f in sums["files"]:
        assert f["name"] in page and f["sha256"] in page
    r = Client().get("/data/guanxian-2018.csv")
    assert r.status_code == 200 and b"".join(r.streaming_content) == raw
    assert Client().get("/data/guanxian-1999.csv").status_code == 404


def test_bulk_regenerated_on_correction_and_drafts_left_out(
    opendata, sample_issue, draft_issue, sample_path, tmp_path
):
    folder = bulk.bulk_dir()
    before = (folder / "guanxian-2018.jsonl").read_bytes()
    _correct(sample_path, tmp_path, "确定在全县开展", "决定在全县开展")
    after = (folder / "guanxian-2018.jsonl").read_bytes()
    assert before != after and "决定在全县开展".encode() in after
    text = b"".join(p.read_bytes() for p in folder.iterdir() if p.suffix != ".zip").decode()
    assert draft_issue.gazette.slug not in text
    for title in draft_words(draft_issue):
        assert title not in text


def test_non_public_and_redacted_never_in_bulk_sitemap_or_export(
    opendata, sample_issue, monkeypatch, tmp_path
):
    from gongbao.site import access

    original = access.public_documents
    monkeypatch.setattr(
        access, "public_documents", lambda gazette=None: original(gazette).exclude(ident=DOC46)
    )
    monkeypatch.setattr(
        access,
        "public_data",
        lambda d: json.loads(
            json.dumps(d.data, ensure_ascii=False).replace("乡村振兴", "【已隐去】")
        ),
        raising=False,
    )
    bulk.regenerate_year("guanxian", 2018)
    folder = bulk.bulk_dir()
    for name in ("guanxian-2018.jsonl", "guanxian-2018.csv"):
        text = (folder / name).read_text(encoding="utf-8-sig")
        assert DOC46 not in text and "乡村振兴" not in text
    with zipfile.ZipFile(folder / "guanxian-2018.akn.zip") as z:
        xml = z.read(z.namelist()[0]).decode()
        assert DOC46 not in xml and "乡村振兴" not in xml
        assert akn.validate(etree.fromstring(xml.encode())) == []
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert DOC46 not in sitemap and "guanzhengbanfa-2018-41" in sitemap
    assert (
        main(["export", "--format", "jsonl", "--year", "2018", "--out", str(tmp_path / "x.jsonl")])
        == 0
    )
    exported = (tmp_path / "x.jsonl").read_text(encoding="utf-8")
    assert DOC46 not in exported and "乡村振兴" not in exported
    assert Client().get(f"/akn/doc/guanxian/{DOC46}.xml").status_code == 404
    assert Client().get("/source/guanxian-2018-03.txt").status_code == 404  # not all public


# -- AKN and the round trip -----------------------------------------------------------


def test_akn_export_validates_and_round_trips(opendata, sample_issue, tmp_path):
    assert (
        main(
            [
                "export",
                "--format",
                "akn",
                "--issue",
                "guanxian-2018-03",
                "--out",
                str(tmp_path / "issue.xml"),
            ]
        )
        == 0
    )
    data = (tmp_path / "issue.xml").read_bytes()
    root = etree.fromstring(data)
    assert akn.validate(root) == []
    assert root[0].tag == f"{{{akn.AKN_NS}}}officialGazette"
    back = read_akn(data)
    stored = {d.ident: d.data for d in sample_issue.documents.all()}
    assert [d.ident for d in back.documents] == [
        d.ident for d in sample_issue.documents.order_by("seq")
    ]
    from gongbao.core.export.json import document_dict

    for doc in back.documents:
        assert history.text_lines(document_dict(doc)) == history.text_lines(stored[doc.ident])
    r = Client().get(f"/akn/doc/guanxian/{DOC46}.xml")
    assert akn.validate(etree.fromstring(r.content)) == []
    r = Client().get("/akn/issue/guanxian-2018-03.xml")
    assert r.content == data and r["Content-Type"] == "application/akn+xml"


def test_akn_validates_for_generated_issues(opendata, tmp_path):
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue
    from gongbao.testing.generate import generate_corpus

    for path in generate_corpus(
        tmp_path / "gen", count=3, seed=11, start_year=2016, gazettes=2, issues_per_year=2
    ):
        issue = publish_issue(Issue.objects.get(ident=import_file(path).issue))
        root = etree.fromstring(bulk.issue_akn_bytes(issue))
        assert akn.validate(root) == [], issue.ident


# -- citations ---------------------------------------------------------------------


def test_citations_of_the_real_issue_and_linking(opendata, sample_issue, tmp_path):
    citing = set(
        CitationLink.objects.filter(kind="doc_number").values_list("source__ident", flat=True)
    )
    assert len(citing) == 4 and DOC46 in citing
    # A later issue citing 冠政办发〔2018〕46号: linked, and shown as "cited by".
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue
    from gongbao.testing.generate import generate_corpus

    (path,) = generate_corpus(
        tmp_path / "gen", count=1, seed=3, start_year=2019, gazettes=1, issues_per_year=1
    )
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if i > len(lines) // 2 and line.endswith("。"))
    lines[n] += (
        "根据《关于开展全县高危行业强制实施安全生产责任保险试点工作的通知》（冠政办发〔2018〕46号）执行。"
    )
    path.write_text("\n".join(lines), encoding="utf-8")
    issue = publish_issue(Issue.objects.get(ident=import_file(path).issue))
    link = CitationLink.objects.get(source__issue=issue, doc_number="冠政办发〔2018〕46号")
    assert (link.target_gazette, link.target_ident) == ("guanxian", DOC46)
    body = json.loads(Client().get(f"/api/v1/documents/guanxian/{DOC46}/citations").content)
    assert [c["target"] for c in body["cited_by"]] == [f"{issue.gazette.slug}/{link.source.ident}"]
    page = Client().get(f"/guanxian/doc/{DOC46}/").content.decode()
    assert "被以下文件引用" in page and link.source.title in page
    citing_page = Client().get(f"/{issue.gazette.slug}/doc/{link.source.ident}/").content.decode()
    assert f'href="/guanxian/doc/{DOC46}/"' in citing_page


# -- manifests, signatures, verification -------------------------------------------


def test_bundle_verifies_and_fails_with_reasons(opendata, sample_issue):
    c = Client()
    data = c.get(f"/bundle/doc/guanxian/{DOC46}.json").content
    published = keys.public_keys()
    assert verify_bytes(data, keys=published).ok
    tampered = data.replace("全县".encode(), "全市".encode(), 1)
    report = verify_bytes(tampered, keys=published)
    assert not report.ok and any("哈希不符" in r for r in report.reasons)
    other = integrity.public_key_info(
        integrity.generate_key(), integrity._parse_time("2000-01-01T00:00:00Z")
    )
    report = verify_bytes(data, keys=[other])
    assert not report.ok and any("未知密钥" in r for r in report.reasons)
    report = verify_bytes(data[: len(data) // 2], keys=published)
    assert not report.ok and any("不完整" in r for r in report.reasons)
    issue_bundle = c.get("/bundle/issue/guanxian-2018-03.json").content
    assert verify_bytes(issue_bundle, keys=published).ok
    assert json.loads(c.get("/keys.json").content) == published


def test_correction_rotation_chain_and_history(opendata, sample_issue, sample_path, tmp_path):
    first = Manifest.objects.get()
    old_bundle = Client().get(f"/bundle/doc/guanxian/{DOC46}.json").content
    retired, current = keys.rotate()
    _correct(sample_path, tmp_path, "确定在全县开展", "决定在全县开展")
    second = Manifest.objects.order_by("-pk").first()
    assert second.version == 2 and second.previous == first.sha256
    assert second.key_id == current["key_id"] != retired["key_id"]
    published = keys.public_keys()
    ed25519 = [k["key_id"] for k in published if k["algorithm"] == "Ed25519"]
    assert ed25519 == [retired["key_id"], current["key_id"]]
    assert published[0]["valid_to"]
    # the SM2 key was rotated with it: one retired, one current
    assert [k["valid_to"] is None for k in published if k["algorithm"] == "SM2"] == [False, True]
    # Both versions verify with the published key set; the old one with the retired key.
    assert verify_bytes(old_bundle, keys=published).ok
    new_bundle = Client().get(f"/bundle/doc/guanxian/{DOC46}.json").content
    assert verify_bytes(new_bundle, keys=published).ok
    chain = services.chain_to(second)
    assert integrity.verify_chain(chain).ok
    out_of_chain = json.loads(new_bundle)
    out_of_chain["manifests"] = [chain[1], chain[0]]
    report = verify_bytes(json.dumps(out_of_chain, ensure_ascii=False).encode(), keys=published)
    assert not report.ok and any("清单链断裂" in r for r in report.reasons)
    # The earlier version stays retrievable; the history page shows a readable diff.
    body = json.loads(Client().get(f"/api/v1/documents/guanxian/{DOC46}/versions").content)
    assert [v["version"] for v in body] == [1, 2] and body[1]["current"]
    v1 = Client().get(body[0]["bundle_url"].removeprefix("http://testserver")).content
    assert verify_bytes(v1, keys=published).ok
    page = Client().get(f"/history/guanxian/{DOC46}/").content.decode()
    assert "<del>确</del>" in page and "<ins>决</ins>" in page
    # changed paragraphs in context, the rest collapsed; published versions counted 1, 2
    assert "未改动的" in page and "段从略" in page
    assert "第 2 版（现行）" in page and "第 1 版" in page
    # each version links its manifest and bundle, the ones the API lists, and shows its date
    for v in body:
        assert f"/manifests/{v['manifest_sha256']}.json" in page
        assert v["bundle_url"].removeprefix("http://testserver") in page
    assert page.count('<time datetime="20') == 2
    (hunk,) = history.diff(
        *[v["data"] for v in history.versions(Document.objects.get(ident=DOC46))]
    )
    shown = sum(r["op"] == "=" for r in hunk["rows"])
    assert shown <= 2 * history.DIFF_CONTEXT and hunk["skipped"] + hunk["skipped_after"] > 0


def test_verify_page_and_cli(opendata, sample_issue, tmp_path, capsys):
    c = Client()
    data = c.get(f"/bundle/doc/guanxian/{DOC46}.json").content
    page = c.post("/verify/", {"file": io.BytesIO(data)}).content.decode()
    assert "核验通过" in page
    upload = io.BytesIO(data.replace("全县".encode(), "全市".encode(), 1))
    upload.name = "x.bundle.json"
    page = c.post("/verify/", {"file": upload}).content.decode()
    assert "核验未通过" in page and "哈希不符" in page
    assert c.post("/verify/", {}).status_code == 400
    csv_upload = io.BytesIO((bulk.bulk_dir() / "guanxian-2018.csv").read_bytes())
    csv_upload.name = "guanxian-2018.csv"
    assert "核验通过" in c.post("/verify/", {"file": csv_upload}).content.decode()
    (tmp_path / "d.json").write_bytes(data)
    (tmp_path / "keys.json").write_bytes(c.get("/keys.json").content)
    assert main(["verify", str(tmp_path / "d.json"), "--keys", str(tmp_path / "keys.json")]) == 0
    (tmp_path / "t.json").write_bytes(data.replace("全县".encode(), "全市".encode(), 1))
    assert main(["verify", str(tmp_path / "t.json"), "--keys", str(tmp_path / "keys.json")]) == 1
    assert "哈希不符" in capsys.readouterr().out
    shutil.copytree(bulk.bulk_dir(), tmp_path / "dl")
    assert main(["verify", str(tmp_path / "dl" / "guanxian-2018.jsonl")]) == 0
    with open(tmp_path / "dl" / "guanxian-2018.csv", "ab") as f:
        f.write(b"x")
    assert main(["verify", str(tmp_path / "dl" / "guanxian-2018.csv")]) == 1


def _cli_outside_archive(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``gongbao verify`` as a reader runs it: in a folder of downloads, no archive, no Django."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["GONGBAO_HOME"] = str(tmp_path / "no-archive-here")
    return subprocess.run(
        [sys.executable, "-m", "gongbao.cli", "verify", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _forged_bundle(data: bytes) -> bytes:
    """The bundle with a document altered and re-signed by a fresh key that travels inside it."""
    bundle = json.loads(data)
    doc = bundle["documents"][0]
    salt = bundle["salts"][doc["id"]]
    genuine = integrity.commitment(doc["id"], integrity.document_hash(doc), salt)
    doc["title"] = doc["title"] + "（已改）"
    forged_entry = integrity.commitment(doc["id"], integrity.document_hash(doc), salt)
    body = bundle["manifests"][-1]["manifest"]
    entries = [forged_entry if e == genuine else e for e in body["documents"]]
    forged_key = integrity.generate_key()
    signed = integrity.sign_manifest(dict(body, documents=entries), forged_key)
    when = integrity._parse_time("2000-01-01T00:00:00Z")
    return integrity.make_bundle(
        bundle["documents"],
        signed,
        [integrity.public_key_info(forged_key, when)],
        bundle["salts"],
    )


def test_bundle_resigned_with_its_own_key_is_refused(opendata, sample_issue, tmp_path):
    c = Client()
    forged = _forged_bundle(c.get(f"/bundle/doc/guanxian/{DOC46}.json").content)
    report = verify_bytes(forged, keys=None)
    assert not report.ok and report.reasons[0].startswith("未核对发布者")
    report = verify_bytes(forged, keys=keys.public_keys())
    assert not report.ok and any("未知密钥" in r for r in report.reasons)
    page = c.post("/verify/", {"file": io.BytesIO(forged)}).content.decode()
    assert "核验未通过" in page and "未知密钥" in page
    (tmp_path / "forged.bundle.json").write_bytes(forged)
    (tmp_path / "keys.json").write_bytes(c.get("/keys.json").content)
    run = _cli_outside_archive(tmp_path, "forged.bundle.json")
    assert run.returncode == 1 and "未核对发布者" in run.stdout, run.stdout + run.stderr
    assert not (tmp_path / "data").exists()  # verifying never makes an archive folder
    run = _cli_outside_archive(tmp_path, "forged.bundle.json", "--keys", "keys.json")
    assert run.returncode == 1 and "未知密钥" in run.stdout
    genuine = c.get(f"/bundle/doc/guanxian/{DOC46}.json").content
    (tmp_path / "genuine.bundle.json").write_bytes(genuine)
    run = _cli_outside_archive(tmp_path, "genuine.bundle.json", "--keys", "keys.json")
    assert run.returncode == 0, run.stdout


def _edit_one_jsonl_line(raw: bytes) -> bytes:
    """One document's text changed and its line hash recomputed, as a forger would."""
    lines = raw.split(b"\n")
    row = json.loads(lines[3])
    row["document"]["title"] = row["document"]["title"] + "（已改）"
    row["title"] = row["document"]["title"]
    row["sha256"] = integrity.document_hash(row["document"])
    lines[3] = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()
    return b"\n".join(lines)


def test_jsonl_with_a_recomputed_line_hash_is_refused(opendata, sample_issue, tmp_path, capsys):
    folder = bulk.bulk_dir()
    raw = (folder / "guanxian-2018.jsonl").read_bytes()
    forged = _edit_one_jsonl_line(raw)
    report = verify_bytes(
        forged, name="guanxian-2018.jsonl", keys=keys.public_keys(), folders=[folder]
    )
    assert not report.ok
    assert f"应为 {len(raw)} 字节，实为 {len(forged)} 字节" in " ".join(report.reasons)
    upload = io.BytesIO(forged)
    upload.name = "guanxian-2018.jsonl"
    page = Client().post("/verify/", {"file": upload}).content.decode()
    assert "核验未通过" in page and "哈希不符" in page
    shutil.copytree(folder, tmp_path / "dl")
    (tmp_path / "dl" / "guanxian-2018.jsonl").write_bytes(forged)
    assert main(["verify", str(tmp_path / "dl" / "guanxian-2018.jsonl")]) == 1
    assert "哈希不符" in capsys.readouterr().out
    # Without its signed checksum file a JSON Lines file proves nothing.
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "guanxian-2018.jsonl").write_bytes(raw)
    run = _cli_outside_archive(alone, "guanxian-2018.jsonl")
    assert run.returncode == 1 and "清单中无此文件" in run.stdout, run.stdout


def test_renamed_download_is_matched_by_its_content(opendata, sample_issue, tmp_path):
    folder = bulk.bulk_dir()
    raw = (folder / "guanxian-2018.csv").read_bytes()
    (tmp_path / "keys.json").write_text(json.dumps(keys.public_keys()))
    shutil.copy(folder / "guanxian-2018.sums.json", tmp_path)
    (tmp_path / "guanxian-2018 (1).csv").write_bytes(raw)
    run = _cli_outside_archive(tmp_path, "guanxian-2018 (1).csv", "--keys", "keys.json")
    assert run.returncode == 0 and "按内容认出是 guanxian-2018.csv" in run.stdout, run.stdout
    upload = io.BytesIO(raw)
    upload.name = "x (1).csv"
    assert "核验通过" in Client().post("/verify/", {"file": upload}).content.decode()
    # Changed content under the copy's name: the report says how, with both sizes.
    report = verify_bytes(
        raw + b"x", name="guanxian-2018 (1).csv", keys=keys.public_keys(), folders=[tmp_path]
    )
    assert f"应为 {len(raw)} 字节，实为 {len(raw) + 1} 字节" in report.reasons[0]
    same_size = raw[:-3] + b"xyz"
    report = verify_bytes(
        same_size, name="guanxian-2018.csv", keys=keys.public_keys(), folders=[tmp_path]
    )
    assert not report.ok and f"大小相同，均为 {len(raw)} 字节" in report.reasons[0]
    assert "实为 " + str(len(raw)) + " 字节" not in report.reasons[0]


WITHHELD = "guanzhengbanfa-2018-41"


def _legacy_manifest(issue) -> Manifest:
    """A manifest signed before commitments (ids and hashes in the clear), as older archives have."""
    current = Manifest.objects.filter(issue_ident=issue.ident).order_by("-pk").first()
    body = dict(current.signed["manifest"])
    body["format"] = integrity.LEGACY_MANIFEST_FORMAT
    body["documents"] = [
        {"id": d["id"], "sha256": integrity.document_hash(d)} for d in current.documents
    ]
    body["previous"] = current.sha256
    signed = integrity.sign_manifest(body, keys.private_key())
    return Manifest.objects.create(
        gazette_slug=current.gazette_slug,
        issue=issue,
        issue_ident=issue.ident,
        version=current.version,
        signed=signed,
        sha256=integrity.manifest_hash(signed),
        previous=current.sha256,
        key_id=current.key_id,
        documents=current.documents,
        published_at=current.published_at,
    )


def _public_texts(c: Client, issue_ident: str) -> dict[str, str]:
    """Every public answer that names manifests, versions or bundles of the issue."""
    urls = [f"/api/v1/issues/{issue_ident}", f"/bundle/issue/{issue_ident}.json", "/data/"]
    urls += [f"/manifests/{m.sha256}.json" for m in Manifest.objects.all()]
    urls += [f"/bundle/{m.sha256}/{WITHHELD}.json" for m in Manifest.objects.all()]
    for ident in Document.objects.filter(issue__ident=issue_ident).values_list("ident", flat=True):
        urls += [
            f"/bundle/doc/guanxian/{ident}.json",
            f"/api/v1/documents/guanxian/{ident}/versions",
            f"/history/guanxian/{ident}/",
        ]
    texts = {}
    for url in urls:
        r = c.get(url)
        body = b"".join(r.streaming_content) if r.streaming else r.content
        texts[url] = body.decode("utf-8", "replace") if r.status_code == 200 else ""
    for path in bulk.bulk_dir().iterdir():
        if path.suffix != ".zip":
            texts[path.name] = path.read_text(encoding="utf-8-sig")
    return texts


def test_withheld_document_leaves_no_id_or_hash_in_any_public_manifest(opendata, sample_issue):
    from gongbao.site.disclosure import services as disclosure

    c = Client()
    downloaded = c.get(f"/bundle/doc/guanxian/{WITHHELD}.json").content
    digest = integrity.document_hash(json.loads(downloaded)["documents"][0])
    legacy = _legacy_manifest(sample_issue)
    assert c.get(f"/manifests/{legacy.sha256}.json").status_code == 200  # while all public
    doc = Document.objects.get(issue=sample_issue, ident=WITHHELD)
    disclosure.set_attribute(doc, "on_request", "process", "内部工作安排，仅涉及特定单位")
    newest = Manifest.objects.order_by("-pk").first()
    assert newest.pk > legacy.pk and len(newest.signed["manifest"]["documents"]) == 17
    texts = _public_texts(c, sample_issue.ident)
    assert any(DOC46 in t for t in texts.values())  # the crawl does reach the public ones
    for url, text in texts.items():
        assert WITHHELD not in text and digest not in text, url
    assert c.get(f"/manifests/{legacy.sha256}.json").status_code == 404
    # The copy downloaded while it was public still verifies, offline, with the published keys.
    report = verify_bytes(downloaded, keys=json.loads(c.get("/keys.json").content))
    assert report.ok, report.reasons


def test_keys_commands(opendata, capsys):
    assert main(["keys", "init", "--publisher", "冠县人民政府办公室"]) == 0
    private = keys.keys_dir() / keys.PRIVATE
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keys.keys_dir() / keys.PDF_KEY).st_mode) == 0o600
    assert main(["keys", "init"]) == 1
    assert "已存在" in capsys.readouterr().err
    assert main(["keys", "show"]) == 0
    assert "（当前）" in capsys.readouterr().out
    assert main(["keys", "rotate"]) == 0
    assert len(keys.public_keys()) == 4  # Ed25519 and SM2, each retired and current
    assert Client().get("/keys/").status_code == 200
    for url in ("/keys.json", "/keys/"):
        assert b"PRIVATE" not in Client().get(url).content
    assert Client().get("/keys/manifest-key.pem").status_code == 404


# -- PDFs ----------------------------------------------------------------------------


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and shutil.which("chromium") is None,
    reason="needs Chromium",
)
def test_signed_pdf_verifies_and_detects_tampering(opendata, sample_issue, tmp_path):
    c = Client()
    r = c.get(f"/pdf/doc/guanxian/{DOC46}.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    pdf = r.content
    cert = keys.certificate_pem()
    report = verify_bytes(pdf, certificate=cert)
    assert report.ok, report.reasons
    digest = json.loads(c.get(f"/api/v1/documents/guanxian/{DOC46}").content)["sha256"]
    if shutil.which("pdftotext"):
        path = tmp_path / "d.pdf"
        path.write_bytes(pdf)
        import subprocess

        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        assert "已电子签名" in text and digest in text.replace("\n", "").replace(" ", "")
    # One byte changed inside the signed range: every reader flags it.
    at = len(pdf) // 3
    tampered = pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1 :]
    assert not verify_bytes(tampered, certificate=cert).ok
    # A certificate that is not the publisher's.
    other = tmp_path / "other"
    from django.test import override_settings

    with override_settings(GONGBAO_KEYS_DIR=other):
        keys.init()
        wrong = keys.certificate_pem()
    report = verify_bytes(pdf, certificate=wrong)
    assert not report.ok and any("未知密钥" in r for r in report.reasons)
    (tmp_path / "cert.pem").write_bytes(cert)
    (tmp_path / "d.pdf").write_bytes(pdf)
    assert main(["verify", str(tmp_path / "d.pdf"), "--cert", str(tmp_path / "cert.pem")]) == 0
    # Without the certificate, away from the archive: one plain message, no traceback.
    run = _cli_outside_archive(tmp_path, "d.pdf")
    assert run.returncode == 1 and run.stderr == "", run.stderr
    assert run.stdout.splitlines()[1].strip().startswith("✗ 未核对发布者")


# -- sitemap, robots, document page metadata ----------------------------------------------


def test_sitemap_robots_and_document_metadata(opendata, sample_issue, draft_issue):
    c = Client()
    sitemap = c.get("/sitemap.xml")
    assert sitemap["Content-Type"] == "application/xml"
    root = etree.fromstring(sitemap.content)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == 1 + 1 + 18
    assert not any(draft_issue.gazette.slug in loc for loc in locs)
    robots = c.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots
    page = c.get(f"/guanxian/doc/{DOC46}/").content.decode()
    assert (
        '<meta name="DC.title" content="关于开展全县高危行业强制实施安全生产责任保险试点工作的通知">'
        in page
    )
    assert '"@type": "Legislation"' in page and "application/ld+json" in page
    for link in (
        f"/akn/doc/guanxian/{DOC46}.xml",
        f"/pdf/doc/guanxian/{DOC46}.pdf",
        f"/bundle/doc/guanxian/{DOC46}.json",
        f"/history/guanxian/{DOC46}/",
        "/source/guanxian-2018-03.txt",
    ):
        assert f'href="{link}"' in page
    source = c.get("/source/guanxian-2018-03.txt")
    assert source.status_code == 200 and "冠政办发〔2018〕46号".encode() in source.content
    doc = draft_issue.documents.first()
    for url in (
        f"/akn/doc/{draft_issue.gazette.slug}/{doc.ident}.xml",
        f"/bundle/issue/{draft_issue.ident}.json",
        f"/source/{draft_issue.ident}.txt",
        f"/akn/issue/{draft_issue.ident}.xml",
    ):
        assert c.get(url).status_code == 404, url


def test_history_counts_only_published_versions(opendata, sample_path, tmp_path):
    """Draft imports before the first publication are not versions readers ever saw."""
    from gongbao.site.archive.models import Issue
    from gongbao.site.archive.services import import_file, publish_issue

    outcome = import_file(sample_path)
    _correct(sample_path, tmp_path, "确定在全县开展", "决定在全县开展")  # a second draft
    issue = publish_issue(Issue.objects.get(ident=outcome.issue))
    assert Manifest.objects.get().version == issue.versions.count() == 2
    page = Client().get(f"/history/guanxian/{DOC46}/").content.decode()
    assert "第 1 版（现行）" in page and "第 2 版" not in page
