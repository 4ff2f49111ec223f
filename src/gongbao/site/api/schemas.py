"""Response shapes of the API; the field meanings are in docs/api.md."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Error(Schema):
    detail: str
    code: str
    errors: list[dict[str, Any]] = []


class Gazette(Schema):
    slug: str
    name: str
    latin_name: str
    issues: int
    url: str


class IssueSummary(Schema):
    id: str
    gazette: str
    gazette_name: str
    year: int
    number: int
    number_end: int | None
    cumulative_number: int | None
    label: str
    published_at: str | None
    documents: int
    url: str
    api_url: str


class IssueList(Schema):
    count: int
    limit: int
    next_cursor: str | None
    next: str | None
    results: list[IssueSummary]


class TocEntry(Schema):
    section: str | None
    title: str
    doc_number: str | None
    page: int | None
    document: str | None
    api_url: str | None


class Manifest(Schema):
    version: int
    sha256: str
    previous: str | None
    key_id: str
    published_at: str
    url: str


class IssueDetail(IssueSummary):
    slogan: str
    sections: list[str]
    toc: list[TocEntry]
    manifests: list[Manifest]
    links: dict[str, str]


class DocumentRecord(Schema):
    id: str
    gazette: str
    issue: str
    year: int
    issue_number: int
    seq: int
    section: str | None
    page: int | None
    kind: str
    title: str
    toc_title: str | None
    doc_number: str | None
    issuer: str | None
    date: str | None
    recipients: str | None
    speaker: str | None
    promulgates: str | None
    published_at: str | None
    sha256: str
    url: str
    api_url: str


class Passage(Schema):
    anchor: str
    heading: str
    highlighted: str


class DocumentHit(DocumentRecord):
    score: float | None = None
    title_highlighted: str | None = None
    passages: list[Passage] = []
    matched: list[str] = Field(
        default=[], description="匹配位置：标题、文号、正文、发文机关、落款、主送机关"
    )


class FacetValue(Schema):
    value: str
    count: int


class DocumentList(Schema):
    count: int
    exact_count: int | None = Field(
        default=None, description="包含全部检索词（精确）的文件数；相关度检索时可能少于 count"
    )
    limit: int
    sort: str
    next_cursor: str | None
    next: str | None
    results: list[DocumentHit]
    facets: dict[str, list[FacetValue]]
    warnings: list[str]


class Cite(Schema):
    kind: str
    printed: str
    doc_number: str | None
    title: str | None
    anchor: str
    target: str | None
    url: str | None


class CitedBy(Schema):
    target: str
    title: str
    doc_number: str | None
    issue: str
    url: str


class Citations(Schema):
    cites: list[Cite]
    cited_by: list[CitedBy]


class Version(Schema):
    version: int
    published_at: str
    sha256: str
    manifest_sha256: str
    current: bool
    bundle_url: str


class DocumentDetail(DocumentRecord):
    date_note: str | None
    signature: str | None
    body: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    promulgated_document: dict[str, Any] | None
    citations: Citations
    versions: list[Version]
    links: dict[str, str]
