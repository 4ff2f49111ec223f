"""The tantivy schema of the search index, its version and the ranking constants.

Text is indexed as whitespace-separated character bigrams built in Python (see
indexing.py), one field per place a reader thinks of: the title, the body
(headings and passages) and the head (文号, issuers, signature, 主送). Runs of
text are kept apart by position gaps (see indexing.py), so phrase queries over
the bigrams match exactly where a substring scan does. The bigram fields'
analyzer (BIGRAM_ANALYZER) must be registered on every tantivy.Index that
writes them (register_analyzers); a writer without it refuses the documents.
"""

from __future__ import annotations

import tantivy

#: Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 9

TITLE_BOOST = 3.0
HEAD_BOOST = 1.5  # 文号, issuer, signature, 主送: short fields that name the document
DOC_NUMBER_BOOST = 5.0
PHRASE_BOOST = 2.0  # a ranked word found whole, not only by its bigrams
EXACT_BOOST = 4.0  # a ranked document holding every word exactly comes first
FACET_FIELDS = ("year", "section", "issuer", "kind", "gazette")
TEXT_FILTERS = ("gazette", "issue", "section", "issuer", "kind")
BIGRAM_FIELDS = ("title_bigrams", "body_bigrams", "head_bigrams")
#: The joins field's tokens say which bigram field they stand in: "b:2018年" is the body's.
JOIN_PREFIXES = dict(zip(BIGRAM_FIELDS, ("t:", "b:", "h:"), strict=True))
#: Each bigram field's characters, each once: a lone character is one term (query.py).
CHAR_FIELDS = dict(zip(BIGRAM_FIELDS, ("title_chars", "body_chars", "head_chars"), strict=True))
OWN_KEY_PREFIX = "="  # docnum_keys: "=key" is the document's own 文号, "key" any mention
BIGRAM_ANALYZER = "bigrams"
#: Takes a position in a bigram field and is dropped there (indexing.py's gaps). A
#: separator, so no normalized query token is ever this.
GAP_TOKEN = "\x00"


def register_analyzers(index: tantivy.Index) -> None:
    """The bigram fields' analyzer: whitespace tokens, gap tokens dropped after they
    took their positions (a stop word keeps the position it leaves)."""
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.custom_stopword([GAP_TOKEN]))
        .build()
    )
    index.register_tokenizer(BIGRAM_ANALYZER, analyzer)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    for name in TEXT_FILTERS:
        # fast text fields feed the facet aggregations
        sb.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_integer_field("date", stored=True, indexed=True, fast=True)  # yyyymmdd, 0 unknown
    sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("doc_number", stored=True, tokenizer_name="raw", index_option="basic")
    for name in (*BIGRAM_FIELDS, "issuer_bigrams"):
        sb.add_text_field(name, tokenizer_name=BIGRAM_ANALYZER)  # pre-split, with positions
    sb.add_text_field("docnum_keys", tokenizer_name="whitespace", index_option="freq")
    for name in CHAR_FIELDS.values():
        # Each CJK character once, without frequencies or positions: a lone character
        # is then one term, not a walk over every bigram it starts (query.py).
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
    # Each whole letter/digit run with the CJK character beside it (2018年, 第3), by
    # field: a term such as 2018年 is then one term, not 年's every bigram (query.py).
    sb.add_text_field("joins", tokenizer_name="whitespace", index_option="freq")
    sb.add_bytes_field("passages", stored=True)  # JSON list of {anchor, heading, text}
    sb.add_bytes_field("head", stored=True)  # JSON list of [label, text]: why a hit matched
    return sb.build()
