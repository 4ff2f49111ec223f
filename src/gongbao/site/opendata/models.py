"""Signed manifests (one per published version of an issue) and extracted citations.

Rows are written only by ``gongbao.site.opendata.services`` (after the archive's
commit); pages and the API read them through ``gongbao.site.opendata.public``.
"""

from __future__ import annotations

from django.db import models


class Manifest(models.Model):
    """A signed manifest: the public documents of one version of an issue, chained.

    ``documents`` keeps the public document JSON as signed, so an earlier version
    stays retrievable and verifiable after a correction replaced the documents.
    ``salts`` (id → salt) open the manifest's commitments; a salt is served only in
    the bundle of a document that is public now (docs/integrity.md). Never served
    as such: both fields hold what a later withholding must keep from the public.
    """

    gazette_slug = models.CharField(max_length=60)
    issue = models.ForeignKey(
        "archive.Issue", null=True, on_delete=models.SET_NULL, related_name="manifests"
    )
    issue_ident = models.CharField(max_length=120)
    version = models.PositiveIntegerField("版本")
    signed = models.JSONField("签名清单")
    sha256 = models.CharField(max_length=64, unique=True)
    previous = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=32, blank=True)
    documents = models.JSONField("文件")
    salts = models.JSONField("盐值", default=dict)
    published_at = models.DateTimeField()
    withdrawn = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "签名清单"
        ordering = ["pk"]
        indexes = [models.Index(fields=["issue_ident", "version"])]


class CitationLink(models.Model):
    """One citation in a public document's text, with its target once it is in the archive."""

    source = models.ForeignKey(
        "archive.Document", on_delete=models.CASCADE, related_name="citation_links"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    anchor = models.CharField(max_length=60, blank=True)
    printed = models.CharField(max_length=500)
    snippet = models.TextField(blank=True)
    doc_number = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=500, blank=True)
    target_gazette = models.CharField(max_length=60, blank=True)
    target_ident = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["source", "position"]
        indexes = [models.Index(fields=["target_gazette", "target_ident"])]
