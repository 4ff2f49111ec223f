"""The search analyzer: tokens for index and query, and query parsing that never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.core.analyzer import (
    MAX_QUERY_CHARS,
    bigram_tokens,
    covering_bigrams,
    doc_number_keys,
    mention_keys,
    normalize,
    parse_query,
    positioned_bigrams,
    positioned_unigrams,
    unigram_tokens,
    word_tokens,
)


def test_normalize_full_width_and_case() -> None:
    assert normalize("ＰＭ２．５浓度ABC") == "pm2.5浓度abc"


@pytest.mark.parametrize(
    "text", ["县环保局", "e\u0301", "环保e\u0301局", "ｶﾞ", "﹝2018﹞", "㈠一", "国发\u3000", "α"]
)
def test_normalize_is_nfkc_where_it_skips_the_common_text(text: str) -> None:
    import unicodedata

    assert normalize(text) == unicodedata.normalize("NFKC", text).lower()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="县政府約國號區縣發展的ā〇①⑴ＡＫİé\u0301e﹝〕，。 a1", max_size=30))
def test_normalize_is_nfkc_then_t2s_then_lower(text: str) -> None:
    import unicodedata

    from gongbao.core.analyzer import _t2s_table

    folded = unicodedata.normalize("NFKC", text).translate(_t2s_table()).lower()
    assert normalize(text) == folded


def test_folding_traditional_commutes_with_lower_case() -> None:
    # normalize() lowers before it folds, the index's split folds after prepared() lowered:
    # both equal the statement above only because no character that lower() changes folds
    # or lowers to one that folds, and every simplified character is lower case.
    from gongbao.core.analyzer import traditional_folds

    folds = traditional_folds()
    code_points = (c for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    lowered = [(c, chr(c).lower()) for c in code_points if chr(c).lower() != chr(c)]
    assert not [c for c, low in lowered if c in folds or any(ord(x) in folds for x in low)]
    assert all(s.lower() == s for s in folds.values())


def test_bigrams_per_run() -> None:
    assert bigram_tokens("县环保局，PM2.5浓度 2018年 国") == [
        "县环",
        "环保",
        "保局",
        "pm2",
        "5",
        "浓度",
        "2018",
        "年",
        "国",
    ]


def test_bigram_positions_consecutive_in_run_with_gap_between_runs() -> None:
    assert positioned_bigrams("环保局，局长") == [("环保", 0), ("保局", 1), ("局长", 4)]


def test_covering_bigrams_keep_every_second_and_the_last() -> None:
    five = positioned_bigrams("全县经济社会")
    assert covering_bigrams(five) == [("全县", 0), ("经济", 2), ("社会", 4)]
    four = positioned_bigrams("全县经济社")
    assert covering_bigrams(four) == [("全县", 0), ("经济", 2), ("济社", 3)]
    assert covering_bigrams(positioned_bigrams("环保")) == [("环保", 0)]


def test_unigrams_adjacent_inside_segment() -> None:
    assert unigram_tokens("2018年，PM2.5") == ["2018", "年", "pm2", "5"]
    assert positioned_unigrams("2018年，PM2.5") == [("2018", 0), ("年", 1), ("pm2", 3), ("5", 5)]


def test_chinese_zero_is_an_ideograph() -> None:
    assert bigram_tokens("二〇一八年") == ["二〇", "〇一", "一八", "八年"]


def test_word_tokens_drop_punctuation() -> None:
    words = word_tokens("关于秸秆禁烧的通知。PM2.5")
    assert "秸秆" in words
    assert "。" not in words
    assert "pm2" in words


@pytest.mark.parametrize(
    "text",
    ["冠政发〔2018〕64号", "冠政发[2018]64号", "冠政发(2018)64号", "冠政发（２０１８）０６４号"],
)
def test_doc_number_keys_variants(text: str) -> None:
    assert doc_number_keys(text) == ["冠政发|2018|64"]


def test_mention_keys_cover_swallowed_words() -> None:
    keys = mention_keys("关于印发冠政发〔2018〕64号的通知")
    assert "冠政发|2018|64" in keys
    assert all(" " not in k for k in keys)


@pytest.mark.parametrize(
    "q",
    [
        "冠政发〔2018〕64号",
        "冠政发[2018]64号",
        "冠政发(2018)64号",
        "冠政发2018 64",
        " 冠政发2018-64 ",
    ],
)
def test_query_doc_number_variants(q: str) -> None:
    parsed = parse_query(q)
    assert parsed.doc_numbers == ["冠政发|2018|64"]
    assert parsed.terms == []


def test_query_terms_phrases_and_embedded_doc_number() -> None:
    parsed = parse_query('秸秆  "县 环保局" 冠政发〔2018〕64号 ＰＭ２')
    assert parsed.terms == ["秸秆", "pm2"]
    assert parsed.phrases == ["县 环保局"]
    assert parsed.doc_numbers == ["冠政发|2018|64"]
    assert parsed.warnings == []


@pytest.mark.parametrize("q", ['"', "*", ":", "((", "AND OR NOT", "，。！", "*:*", "“"])
def test_query_syntax_is_neutralised(q: str) -> None:
    parsed = parse_query(q)
    assert parsed.is_empty
    assert parsed.warnings


def test_or_and_not_are_operators_said_in_notes() -> None:
    parsed = parse_query("扶贫 OR 秸秆 NOT 环保 AND 县")
    assert parsed.any_of == [["扶贫", "秸秆"]]
    assert parsed.excluded == ["环保"]
    assert parsed.terms == ["县"]
    assert any("扶贫" in n and "秸秆" in n for n in parsed.notes)
    assert any("环保" in n for n in parsed.notes)


def test_minus_excludes_and_lower_case_or_is_a_word() -> None:
    parsed = parse_query('秸秆 -禁烧 -"县 环保局" or')
    assert parsed.terms == ["秸秆", "or"]
    assert parsed.excluded == ["禁烧", "县 环保局"]
    only = parse_query("-秸秆")
    assert not only.positive and not only.is_empty
    assert only.notes


def test_dangling_operator_warns() -> None:
    assert parse_query("秸秆 OR").warnings
    assert parse_query("OR 秸秆").warnings


@pytest.mark.parametrize(
    ("q", "key"),
    [
        ("冠政发〔2018〕64", "冠政发|2018|64"),
        ("冠政发﹝2018﹞64号", "冠政发|2018|64"),
        ("冠政发201864号", "冠政发|2018|64"),  # brackets lost in conversion
        ("冠政发2018年第64号", "冠政发|2018|64"),
        ("〔2018〕64号", "|2018|64"),
        ("[2018]64", "|2018|64"),
    ],
)
def test_typed_doc_number_variants(q: str, key: str) -> None:
    parsed = parse_query(q)
    assert parsed.doc_numbers == [key]
    assert parsed.terms == parsed.phrases == []


def test_agency_code_alone_is_exact_and_serial_a_term() -> None:
    assert parse_query("冠政办发").phrases == ["冠政办发"]
    assert parse_query("64号").terms == ["64号"]


def test_traditional_folds_to_simplified() -> None:
    assert normalize("關於開展經濟普查") == "关于开展经济普查"
    assert parse_query("縣環保局").terms == ["县环保局"]


def test_wildcard_is_refused_with_a_notice() -> None:
    parsed = parse_query("秸秆*")
    assert parsed.terms == ["秸秆*"]  # the star is a separator, like any punctuation
    assert any("通配符" in w for w in parsed.warnings)


def test_long_query_truncated_with_warning() -> None:
    parsed = parse_query("环保" * 5000)
    assert parsed.truncated
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert f"查询过长，已截取前{MAX_QUERY_CHARS}个字" in parsed.warnings


def test_empty_query_is_empty_without_warning() -> None:
    parsed = parse_query("   ")
    assert parsed.is_empty
    assert parsed.warnings == []


def test_control_characters_and_non_strings() -> None:
    assert parse_query("环\x00保").terms == ["环", "保"]
    assert parse_query(None).is_empty  # type: ignore[arg-type]


def test_filters_typed_into_the_query() -> None:
    from gongbao.core.analyzer import parse_query

    q = parse_query("发文机关：冠县人民政府 秸秆 2018-01..2018-06")
    assert (q.issuers, q.terms, q.date_from, q.date_to) == (
        ["冠县人民政府"],
        ["秸秆"],
        20180101,
        20180630,
    )
    assert len(q.notes) == 2
    assert parse_query("日期:2018-02").date_to == 20180228
    assert (parse_query("2019..").date_from, parse_query("2019..").date_to) == (20190101, 0)
    bad = parse_query("日期:2018-02-30..2019")
    assert not bad.date_from and any("无法识别" in w for w in bad.warnings)
    assert parse_query("title:环保").terms == ["title:环保"]  # other prefixes are text
