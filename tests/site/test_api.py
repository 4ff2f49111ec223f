"""The REST API: every endpoint, cursors, errors, conditional GET, CORS, rate limit, schema."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from lxml import etree

from gongbao.core import integrity
from gongbao.core.export import akn
from gongbao.site.opendata import keys
from tests.site import opendata_helpers as helpers

pytestmark = pytest.mark.django_db(transaction=True)
opendata, draft_issue = helpers.opendata, helpers.draft_issue
draft_words = helpers.draft_words
DOC = "/api/v1/documents/guanxian/guanzhengbanfa-2018-46"


def get(client: Client, url: str, **kw):
    response = client.get(url, **kw)
    return response, (
        json.loads(response.content)
        if response["Content-Type"].startswith("application/json")
        else None
    )


def test_index_gazettes_issues(opendata, sample_issue):
    c = Client()
    r, body = get(c, "/api/v1/")
    assert r.status_code == 200 and body["openapi"].endswith("/api/v1/openapi.json")
    r, body = get(c, "/api/v1/gazettes")
    assert [g["slug"] for g in body] == ["guanxian"] and body[0]["issues"] == 1
    r, body = get(c, "/api/v1/issues?year=2018")
    assert body["count"] == 1 and body["results"][0]["id"] == "guanxian-2018-03"
    assert body["results"][0]["documents"] == 18 and body["next_cursor"] is None
    r, body = get(c, "/api/v1/issues/guanxian-2018-03")
    assert r.status_code == 200
    assert len(body["toc"]) == 18 and all(t["document"] for t in body["toc"])
    assert body["manifests"][0]["version"] == 1 and len(body["manifests"][0]["sha256"]) == 64
    manifest = body["manifests"][0]["url"].removeprefix("http://testserver")
    signed = json.loads(c.get(manifest).content)
    assert integrity.manifest_hash(signed) == body["manifests"][0]["sha256"]
    _, published = get(c, "/api/v1/keys")
    assert (
        published == keys.public_keys() and published[0]["key_id"] == signed["signature"]["key_id"]
    )
    r, body = get(c, "/api/v1/issues?year=1999")
    assert body["count"] == 0 and body["results"] == []


def test_documents_list_walks_everything_with_cursors(opendata, sample_issue):
    c = Client()
    _r, body = get(c, "/api/v1/documents?limit=5")
    assert body["count"] == 18 and len(body["results"]) == 5
    assert {f["value"] for f in body["facets"]["year"]} == {"2018"}
    seen = [d["id"] for d in body["results"]]
    while body["next"]:
        _, body = get(c, body["next"])
        seen += [d["id"] for d in body["results"]]
    assert len(seen) == 18 and len(set(seen)) == 18
    _, body = get(c, "/api/v1/documents?limit=100")
    dates = [d["date"] or "" for d in body["results"]]
    assert dates == sorted(dates, reverse=True)  # newest 成文日期 first
    _, body = get(c, "/api/v1/documents?kind=speech")
    speeches = {f["value"]: f["count"] for f in body["facets"]["kind"]}["speech"]
    assert body["count"] == speeches and all(d["kind"] == "speech" for d in body["results"])


def test_full_text_search_exact_count_and_cursor(opendata, sample_issue):
    c = Client()
    _r, body = get(c, "/api/v1/documents?q=安全生产&limit=2")
    total = body["count"]
    assert total >= 2 and body["sort"] == "relevance"
    assert body["results"][0]["passages"]
    # ranked retrieval lists more; exact_count is the documents holding the word whole
    assert 2 <= body["exact_count"] <= total
    assert "正文" in body["results"][0]["matched"]
    seen = [d["id"] for d in body["results"]]
    while body["next_cursor"]:
        _, body = get(c, f"/api/v1/documents?q=安全生产&limit=2&cursor={body['next_cursor']}")
        seen += [d["id"] for d in body["results"]]
    assert len(seen) == total == len(set(seen))
    _, body = get(c, "/api/v1/documents?q=冠政办发〔2018〕46号")
    assert body["results"][0]["id"] == "guanzhengbanfa-2018-46"


def test_document_detail_citations_versions_akn(opendata, sample_issue):
    c = Client()
    r, body = get(c, DOC)
    assert r.status_code == 200
    assert body["doc_number"] == "冠政办发〔2018〕46号" and any(
        n["type"] == "section" for n in body["body"]
    )
    assert body["versions"][0]["current"] and body["versions"][0]["sha256"] == body["sha256"]
    printed = [x["printed"] for x in body["citations"]["cites"]]
    assert any("聊政办字〔2018〕41号" in p for p in printed)
    r, cit = get(c, DOC + "/citations")
    assert cit["cites"] == body["citations"]["cites"]
    r, versions = get(c, DOC + "/versions")
    assert len(versions) == 1
    r = c.get(DOC + "/akn")
    assert r["Content-Type"] == "application/akn+xml"
    tree = etree.fromstring(r.content)
    assert akn.validate(tree) == []
    # published in the gazette on the issue's own date, not on the day it was imported
    (publication,) = tree.iter("{*}publication")
    assert publication.get("date") == sample_issue.issue_date.isoformat() < "2019"
    r = c.get("/api/v1/issues/guanxian-2018-03/akn")
    assert akn.validate(etree.fromstring(r.content)) == []


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/documents?year=abc", "year"),
        ("/api/v1/documents?limit=0", "limit"),
        ("/api/v1/documents?limit=101", "limit"),
        ("/api/v1/documents?date_from=2018-13-01", "date_from"),
        ("/api/v1/documents?date_from=2018-09-01&date_to=2018-01-01", "date_from"),
        ("/api/v1/documents?sort=oldest", "sort"),
        ("/api/v1/documents?cursor=%%%", "cursor"),
        ("/api/v1/documents?cursor=eyJrIjoiMTIzIn0", "cursor"),
        ("/api/v1/issues?year=0", "year"),
        ("/api/v1/documents?q=" + "字" * 201, "q"),
        ("/api/v1/documents?issuer=%00", "NUL"),
        ("/api/v1/issues/guanxian%00", "NUL"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(opendata, sample_issue, url, param):
    r, body = get(Client(), url)
    assert r.status_code == 400
    assert body["code"] == "bad_parameter" and param in body["detail"]


def test_cursor_of_another_query_is_refused(opendata, sample_issue):
    c = Client()
    _, body = get(c, "/api/v1/documents?limit=2")
    r, err = get(c, f"/api/v1/documents?limit=2&kind=notice&cursor={body['next_cursor']}")
    assert r.status_code == 400 and "cursor" in err["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/issues/guanxian-1999-01",
        "/api/v1/documents/guanxian/nope",
        "/api/v1/documents/nowhere/guanzhengbanfa-2018-46",
        "/api/v1/issues/nope/akn",
        "/api/v1/documents/guanxian/nope/citations",
    ],
)
def test_unknown_ids_are_404(opendata, sample_issue, url):
    r, body = get(Client(), url)
    assert r.status_code == 404 and body["code"] == "not_found"


def test_conditional_get(opendata, sample_issue):
    c = Client()
    r = c.get(DOC)
    etag, modified = r["ETag"], r["Last-Modified"]
    assert c.get(DOC, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert c.get(DOC, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    r = c.get(DOC, HTTP_IF_MODIFIED_SINCE=modified)
    assert r.status_code == 304 and r["ETag"] == etag
    r = c.get("/api/v1/documents?limit=3")
    assert c.get("/api/v1/documents?limit=3", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304


def test_cors_open_for_get(opendata, sample_issue):
    c = Client()
    r = c.get("/api/v1/issues", HTTP_ORIGIN="https://example.org")
    assert r["Access-Control-Allow-Origin"] == "*"
    r = c.options(
        "/api/v1/issues",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert r.status_code == 204 and "GET" in r["Access-Control-Allow-Methods"]


def test_rate_limit_answers_429_with_retry_after(opendata, sample_issue, settings):
    settings.GONGBAO_API_RATE = 3
    settings.GONGBAO_API_RATE_WINDOW = 60
    c = Client()
    statuses = [c.get("/api/v1/issues").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    r = c.get("/api/v1/issues")
    assert r.status_code == 429
    assert 1 <= int(r["Retry-After"]) <= 60
    body = json.loads(r.content)
    assert body["code"] == "rate_limited" and body["limit"] == 3
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.get("/api/v1/issues").status_code == 200  # per client
    assert Client().get("/").status_code == 200  # pages are not limited


def test_drafts_never_in_the_api(opendata, sample_issue, draft_issue):
    c = Client()
    _, body = get(c, "/api/v1/issues")
    assert [i["id"] for i in body["results"]] == ["guanxian-2018-03"]
    _, body = get(c, "/api/v1/documents?limit=100")
    assert body["count"] == 18
    assert get(c, f"/api/v1/issues/{draft_issue.ident}")[0].status_code == 404
    doc = draft_issue.documents.first()
    slug = draft_issue.gazette.slug
    assert get(c, f"/api/v1/documents/{slug}/{doc.ident}")[0].status_code == 404
    assert get(c, "/api/v1/gazettes")[1][0]["slug"] == "guanxian"
    text = b"".join(
        c.get(u).content
        for u in (
            "/api/v1/issues",
            "/api/v1/documents?limit=100",
            f"/api/v1/documents?gazette={slug}",
        )
    ).decode()
    for title in draft_words(draft_issue):
        assert title not in text


def test_non_public_and_redacted_content_never_in_the_api(opendata, sample_issue, monkeypatch):
    from gongbao.site import access

    hidden = "guanzhengbanfa-2018-46"
    original = access.public_documents
    monkeypatch.setattr(
        access, "public_documents", lambda gazette=None: original(gazette).exclude(ident=hidden)
    )
    monkeypatch.setattr(access, "public_data", _redacting, raising=False)
    c = Client()
    _, body = get(c, "/api/v1/documents?limit=100")
    assert body["count"] == 17 and hidden not in {d["id"] for d in body["results"]}
    assert c.get(f"/api/v1/documents/guanxian/{hidden}").status_code == 404
    _, issue = get(c, "/api/v1/issues/guanxian-2018-03")
    assert hidden not in {t["document"] for t in issue["toc"]}
    _, search = get(c, "/api/v1/documents?q=安全生产责任保险")
    assert hidden not in {d["id"] for d in search["results"]}
    r = c.get("/api/v1/documents/guanxian/guanzhengbanfa-2018-41")
    assert "乡村振兴" not in r.content.decode() and "【已隐去】" in r.content.decode()


def _redacting(doc):
    return json.loads(json.dumps(doc.data, ensure_ascii=False).replace("乡村振兴", "【已隐去】"))


def test_openapi_schema_and_docs_page(opendata, sample_issue):
    c = Client()
    r, schema = get(c, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for p in (
        "/api/v1/issues",
        "/api/v1/issues/{ident}",
        "/api/v1/documents",
        "/api/v1/documents/{gazette}/{ident}",
        "/api/v1/documents/{gazette}/{ident}/citations",
    ):
        assert p in paths
    r = c.get("/api/v1/docs")
    assert r.status_code == 200 and b"swagger" in r.content.lower()


def test_schemathesis_finds_no_server_errors(opendata, sample_issue):
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.formatted_path, case.query, response.status_code))
            case.validate_response(response, checks=[not_a_server_error])

        check()
    assert not failures
