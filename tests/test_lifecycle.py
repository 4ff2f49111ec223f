"""Lifecycle: 施行日期, 有效期 and relations read from real and written texts; status by date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from gongbao.core import parse_file, parse_text
from gongbao.core.citations import printed_text
from gongbao.core.lifecycle import (
    Change,
    Lifecycle,
    add_months,
    changes_from,
    extract_lifecycle,
    is_normative,
    last_day_of_period,
    status_on,
)
from gongbao.core.model import Document, Node
from tests.conftest import shared_path

# Read by hand from every file of ../shared/corpus/real: what each document
# states about its own 施行/有效期 and the documents it repeals, amends,
# extends or replaces — (kind, 文号 or title, articles). Every file not listed
# states none of these, and nothing may be found there.
# Not listed on purpose: lawref-gonganbu-panwen-2004 repeals "公安部以前制定的
# 关于继续盘问或者留置的规定，凡与本规定不一致的", which names no document, so
# it is no relation to link (its 施行日期 is listed).
STATED: dict[str, dict] = {
    "alashan-2007-22-gongwen-xize": {
        # 对《…实施细则》进行了修改和完善，现将修改完善后的《…细则及文种式样》印发
        "relations": [("amends", "阿拉善盟行政公署办公室公文处理实施细则", ())],
    },
    "jiaotongbu-ling-2006-8": {"effective": (date(2006, 8, 1), "date")},
    "lawref-beijing-gengdi-jueding-2019": {"effective": (date(2019, 9, 1), "date")},
    "lawref-budongchan-tiaoli-2019": {"effective": (date(2015, 3, 1), "date")},
    "lawref-dizhi-ziliao-tiaoli-2017": {
        "effective": (date(2002, 7, 1), "date"),
        "relations": [("repeals", "全国地质资料汇交管理办法", ())],
    },
    # 自公布之日起施行: the date of issue. The file is the 2024 revision, whose 题注 records
    # the revisions: no date of issue is printed for this text, so none is known.
    "lawref-fangjia-banfa-2024": {"effective": (None, "issue")},
    "lawref-gonganbu-panwen-2004": {"effective": (date(2004, 10, 1), "date")},
    "lawref-jiaxing-zhufangzulin-2018": {"effective": (date(2018, 8, 1), "date")},
    "lawref-jinan-jinyan-2010": {"effective": (date(1996, 5, 31), "date")},
    "lawref-laoshebu-2008-3": {
        "relations": [("repeals", "劳社部发〔2000〕8号", ())],
    },
    # Printed only above the body: "2018年3月30日 施行" (read from the head's date note).
    "lawref-lianggao-pifu-2018": {"effective": (date(2018, 3, 30), "date")},
    "lawref-lianggao-zuiming-6-2015": {"effective": (date(2015, 11, 1), "date")},
    # 自发布之日起施行; the 题注 gives only the 部务会议's adoption, not the 令's promulgation.
    "lawref-nianxiujia-banfa-2008": {"effective": (None, "issue")},
    "lawref-samr-ling45-2021": {
        "effective": (date(2021, 9, 1), "date"),
        "relations": [("repeals", "工商行政管理行政处罚信息公示暂行规定", ())],
    },
    "lawref-spc-pifu-2020": {"effective": (date(2021, 1, 1), "date")},
    # 本批示自公佈翌日起生效: the day after the 成文日期 二零零零年五月二十九日.
    "macau-2000-despacho98": {"effective": (date(2000, 5, 30), "issue_next_day")},
    "mouding-2017-46-huanjing-yuan-pdf": {
        "relations": [("repeals", "牟定县突发环境事件应急预案", ())],
    },
    "zhujianbu-2018-xiugai-jueding": {
        "effective": (date(2018, 9, 28), "issue"),
        "relations": [("amends", "房屋建筑和市政基础设施工程施工招标投标管理办法", ())],
    },
}

# The legal basis (根据《…》) of a few documents, read by hand.
BASED_ON = {
    "lawref-laoshebu-2008-3": ["全国年节及纪念日放假办法"],
    "lawref-budongchan-tiaoli-2019": ["中华人民共和国物权法"],
    "changzhou-zhonglou-2022-lingdaoxiaozu": ["常办发〔2020〕8号"],
    "liangshan-2016-294-jiejiari": ["国办发明电〔2016〕17号", "凉山彝族自治州自治条例(修订)"],
    "lawref-lianggao-zuiming-6-2015": [
        "中华人民共和国刑法修正案(九)",  # keys compare after NFKC
        "全国人民代表大会常务委员会关于修改部分法律的决定",
    ],
    "shandong-2014-20-yusuan-yijian": [
        "中华人民共和国预算法",
        "国发〔2014〕45号",
        "鲁发〔2014〕18号",
    ],
}


def _corpus() -> list[Path]:
    folder = shared_path("corpus", "real", "README.md").parent
    return sorted(folder.glob("*.txt"))


def _found(doc: Document) -> dict:
    life = extract_lifecycle(doc)
    out: dict = {}
    if life.effective is not None:
        out["effective"] = (life.effective.date, life.effective.basis)
    if life.validity is not None:
        out["validity"] = life.validity.until
    relations = [(r.kind, r.key, r.articles) for r in life.relations if r.kind != "based_on"]
    if relations:
        out["relations"] = relations
    return out


@pytest.fixture(scope="module")
def corpus_found() -> dict[str, dict]:
    found = {}
    for path in _corpus():
        for doc in parse_file(path).documents:
            stated = _found(doc)
            if stated:
                found[path.stem if doc.seq == 1 else f"{path.stem}#{doc.seq}"] = stated
    return found


def test_every_stated_date_and_relation_of_the_real_corpus(corpus_found: dict) -> None:
    assert corpus_found == STATED


def test_nothing_is_found_where_nothing_is_stated(corpus_found: dict) -> None:
    silent = [p.stem for p in _corpus() if p.stem not in STATED]
    assert len(silent) >= 40
    assert not [stem for stem in silent if stem in corpus_found]


def test_every_finding_is_read_from_the_text_at_its_anchor() -> None:
    for path in _corpus():
        for doc in parse_file(path).documents:
            texts = _texts_by_anchor(doc)
            life = extract_lifecycle(doc)
            for item in [life.effective, life.validity, *life.relations]:
                if item is not None:
                    assert item.sentence.strip() in texts.get(item.anchor, ""), (path.stem, item)


def _texts_by_anchor(doc: Document) -> dict[str, str]:
    texts = {"head": "\n".join(b.text for b in (*doc.head, *doc.tail))}
    roots = [*doc.body, *(r for a in doc.attachments for r in a.body)]
    if doc.promulgates is not None:
        roots += doc.promulgates.body
    for root in roots:
        for node in root.walk():
            texts[node.anchor] = printed_text(node)
    return texts


@pytest.mark.parametrize("stem", sorted(BASED_ON))
def test_legal_basis_of_real_documents(stem: str) -> None:
    doc = parse_file(shared_path("corpus", "real", f"{stem}.txt")).documents[0]
    keys = [r.key for r in extract_lifecycle(doc).relations if r.kind == "based_on"]
    assert keys == BASED_ON[stem]


def test_relation_keeps_its_sentence_and_anchor() -> None:
    doc = parse_file(shared_path("corpus", "real", "lawref-laoshebu-2008-3.txt")).documents[0]
    repeal = next(r for r in extract_lifecycle(doc).relations if r.kind == "repeals")
    assert repeal.anchor == "p6"  # the paragraph under ## 三
    assert repeal.title == "关于职工全年月平均工作时间和工资折算问题的通知"
    assert repeal.sentence.endswith("（劳社部发[2000]8号）同时废止。")


# --------------------------------------------------------------------------- written texts


def written_document(
    body: str, *, number: str = "牟政发〔2019〕3号", day: str = "2019年3月1日"
) -> Document:
    text = (
        f"牟县人民政府关于农村道路管理有关事项的通知\n\n{number}\n\n"
        f"各乡镇人民政府，县直各部门：\n\n{body}\n\n牟县人民政府\n\n{day}\n"
    )
    return parse_text(text).documents[0]


def _life(body: str, **kwargs: str) -> Lifecycle:
    return extract_lifecycle(written_document(body, **kwargs))


def test_validity_until_a_printed_day() -> None:
    life = _life("本办法自2019年4月1日起施行，有效期至2023年12月31日。")
    assert life.effective_date == date(2019, 4, 1)
    assert (life.validity.kind, life.expires) == ("until", date(2023, 12, 31))


def test_validity_from_to() -> None:
    life = _life("本办法有效期为2019年1月1日至2021年12月31日。")
    assert life.effective is None
    assert life.expires == date(2021, 12, 31)


def test_validity_in_years_counts_from_the_effective_date() -> None:
    life = _life("本办法有效期五年。本办法自2019年4月1日起施行。")
    assert (life.validity.count, life.validity.unit, life.validity.start) == (
        5,
        "year",
        "effective",
    )
    assert life.expires == date(2024, 3, 31)


def test_validity_from_issue_when_so_stated() -> None:
    life = _life("本通知自2019年5月1日起施行，自印发之日起有效期两年。")
    assert life.validity.start == "issue"
    assert life.expires == date(2021, 2, 28)


def test_effective_some_days_after_issue() -> None:
    life = _life("本办法自印发之日起30日后施行，有效期3个月。")
    assert (life.effective.date, life.effective.basis) == (date(2019, 3, 31), "issue_plus")
    assert life.expires == date(2019, 6, 30)


def test_effective_from_issue_without_a_date_is_open() -> None:
    text = "牟县示例管理办法\n\n第一条 本办法自发布之日起施行。\n"
    life = extract_lifecycle(parse_text(text).documents[0])
    assert (life.effective.basis, life.effective.date) == ("issue", None)


def test_another_documents_dates_are_not_its_own() -> None:
    life = _life(
        "新修订的《中华人民共和国预算法》自2015年1月1日起施行，"
        "许可证有效期至2025年1月1日，请各单位做好衔接。"
    )
    assert life.effective is None
    assert life.validity is None


def test_extension_names_the_document_and_the_new_end() -> None:
    life = _life("《牟县农村道路管理办法》（牟政发〔2015〕8号）的有效期延长至2026年12月31日。")
    (relation,) = life.relations
    assert relation.kind == "extends"
    assert relation.doc_number == "牟政发〔2015〕8号"
    assert relation.until == date(2026, 12, 31)
    assert life.validity is None


def test_repeal_of_named_articles_is_partial() -> None:
    life = _life("《牟县农村道路管理办法》（牟政发〔2015〕8号）第五条、第六条同时废止。")
    (relation,) = life.relations
    assert (relation.kind, relation.articles) == ("repeals", ("第五条", "第六条"))


def test_repeal_listing_its_targets_after_the_verb() -> None:
    life = _life("县人民政府决定废止《牟县甲办法》（牟政发〔2010〕1号）和《牟县乙办法》。")
    assert [(r.kind, r.key) for r in life.relations] == [
        ("repeals", "牟政发〔2010〕1号"),
        ("repeals", "牟县乙办法"),
    ]


def test_repeal_with_its_own_date() -> None:
    life = _life("《牟县甲办法》自2019年7月1日起废止。")
    (relation,) = life.relations
    assert relation.date == date(2019, 7, 1)
    assert life.effective is None


def test_replacement() -> None:
    life = _life("本办法施行后，《牟县甲办法》（牟政发〔2012〕4号）不再执行。")
    assert [(r.kind, r.key) for r in life.relations] == [("replaces", "牟政发〔2012〕4号")]


def test_amendment() -> None:
    life = _life("县人民政府决定对《牟县甲办法》（牟政发〔2012〕4号）作如下修改：")
    assert [(r.kind, r.key) for r in life.relations] == [("amends", "牟政发〔2012〕4号")]


def test_generic_repeal_and_comment_request_give_nothing() -> None:
    life = _life(
        "以前制定的规定，凡与本办法不一致的同时废止。请对《牟县甲办法（征求意见稿）》提出修改意见。"
    )
    assert life.relations == []


def test_short_name_is_no_second_basis() -> None:
    life = _life(
        "根据《中华人民共和国刑法修正案（九）》（以下简称《刑法修正案（九）》），制定本办法。"
    )
    assert [r.title for r in life.relations] == ["中华人民共和国刑法修正案（九）"]


def test_to_dict_is_plain_json() -> None:
    data = _life("本办法自2019年4月1日起施行，有效期5年。").to_dict()
    assert data["effective"]["date"] == "2019-04-01"
    assert data["validity"]["until"] == "2024-03-31"
    assert data["relations"] == []


# --------------------------------------------------------------------------- status


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2016, 2, 29), 12) == date(2017, 2, 28)
    assert add_months(date(2019, 1, 31), 1) == date(2019, 2, 28)
    assert add_months(date(2019, 11, 30), 14) == date(2021, 1, 30)


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2019, 1, 1), 60, date(2023, 12, 31)),
        (date(2019, 3, 1), 1, date(2019, 3, 31)),
        (date(2019, 3, 31), 3, date(2019, 6, 30)),
        (date(2016, 2, 29), 12, date(2017, 2, 28)),
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
    ],
)
def test_last_day_of_a_period(start: date, months: int, last: date) -> None:
    assert last_day_of_period(start, months) == last


RULE = """牟县人民政府关于印发牟县农村道路管理办法的通知

牟政发〔2015〕8号

各乡镇人民政府，县直各部门：

现将《牟县农村道路管理办法》印发给你们，请认真贯彻执行。

牟县人民政府

2015年3月10日

牟县农村道路管理办法

第一条 为加强农村道路管理，根据《中华人民共和国公路法》，制定本办法。

第二条 本办法自2015年4月1日起施行，有效期5年。
"""

LATER = {
    "amend": (
        "牟政发〔2017〕21号",
        "2017年5月20日",
        "县人民政府决定对《牟县农村道路管理办法》（牟政发〔2015〕8号）作如下修改：\n\n"
        "一、将第五条修改为：“乡村道路由乡镇人民政府负责养护。”\n\n"
        "本决定自2017年6月1日起施行。",
    ),
    "extend": (
        "牟政发〔2020〕5号",
        "2020年3月15日",
        "《牟县农村道路管理办法》（牟政发〔2015〕8号）的有效期延长至2023年12月31日。"
        "本通知自印发之日起施行。",
    ),
    "repeal": (
        "牟政发〔2023〕12号",
        "2023年6月10日",
        "本办法自2023年7月1日起施行。《牟县农村道路管理办法》（牟政发〔2015〕8号）同时废止。",
    ),
}


@pytest.fixture(scope="module")
def chain() -> tuple[Lifecycle, dict[str, list[Change]]]:
    rule = extract_lifecycle(parse_text(RULE).documents[0])
    changes = {}
    for name, (number, day, body) in LATER.items():
        life = extract_lifecycle(written_document(body, number=number, day=day))
        changes[name] = changes_from(life, by=number)
    return rule, changes


def expected_status(day: date, names: set[str]) -> tuple[str, date | None]:
    """The status by hand: the rule's periods as intervals, one comparison each."""
    end = date(2023, 12, 31) if "extend" in names and day >= date(2020, 3, 15) else None
    end = end or date(2020, 3, 31)
    if "repeal" in names and day >= date(2023, 7, 1):
        return "repealed", end
    if day < date(2015, 4, 1):
        return "pending", end
    if day > end:
        return "expired", end
    if "amend" in names and day >= date(2017, 6, 1):
        return "amended", end
    return "in_force", end


@pytest.mark.parametrize(
    "names", [{"amend", "extend", "repeal"}, {"amend", "extend"}, {"amend", "repeal"}, set()]
)
def test_generated_chain_status_on_every_day(chain, names: set[str]) -> None:
    rule, changes = chain
    assert (rule.effective_date, rule.expires) == (date(2015, 4, 1), date(2020, 3, 31))
    applied = [c for name in sorted(names) for c in changes[name]]
    day = date(2015, 1, 1)
    while day <= date(2025, 1, 1):
        status = status_on(
            day, effective=rule.effective_date, expires=rule.expires, changes=applied
        )
        assert (status.code, status.expires) == expected_status(day, names), day
        day += timedelta(days=1)


def test_chain_boundaries_name_who_changed_it(chain) -> None:
    rule, changes = chain
    applied = [c for name in ("amend", "extend", "repeal") for c in changes[name]]

    def on(day: date):
        return status_on(day, effective=rule.effective_date, expires=rule.expires, changes=applied)

    assert on(date(2015, 3, 31)).label == "尚未施行"
    assert on(date(2015, 4, 1)).label == "现行有效"
    assert on(date(2017, 6, 1)).by == ("牟政发〔2017〕21号",)
    assert on(date(2017, 6, 1)).label == "已修改"
    assert on(date(2023, 6, 30)).in_force
    repealed = on(date(2023, 7, 1))
    assert (repealed.label, repealed.by, repealed.in_force) == (
        "已废止",
        ("牟政发〔2023〕12号",),
        False,
    )
    assert [(c.kind, c.on) for c in repealed.chain] == [
        ("amends", date(2017, 6, 1)),
        ("extends", date(2020, 3, 15)),
        ("repeals", date(2023, 7, 1)),
    ]


def test_partial_repeal_and_expiry_labels() -> None:
    partial = Change("repeals", date(2019, 1, 1), "乙", articles=("第五条",))
    status = status_on(date(2019, 1, 1), effective=date(2018, 1, 1), changes=[partial])
    assert (status.label, status.by, status.in_force) == ("部分失效", ("乙",), True)
    expired = status_on(date(2021, 1, 1), effective=date(2018, 1, 1), expires=date(2020, 12, 31))
    assert (expired.label, expired.in_force) == ("已失效", False)
    assert status_on(date(2021, 1, 1), effective=None).label == "现行有效"


def test_long_lines_stay_fast() -> None:
    run_on = "根据《牟县甲办法》（牟政发〔2015〕8号）、" * 20_000
    statements = "《牟县乙办法》第五条同时废止。本办法自2019年4月1日起施行。" * 20_000
    body = [
        Node(kind="paragraph", text=text, anchor=f"p{i}")
        for i, text in enumerate((run_on, statements))
    ]
    life = extract_lifecycle(Document(seq=1, kind="notice", title="示例", body=body))
    assert [(r.kind, r.key) for r in life.relations] == [("repeals", "牟县乙办法")]
    assert life.effective_date == date(2019, 4, 1)


def test_normative_documents_by_code_or_note() -> None:
    assert is_normative(written_document("现将有关事项通知如下。", number="冠政规〔2019〕1号"))
    assert is_normative(written_document("（此件为行政规范性文件）"))
    assert not is_normative(written_document("各单位要制定行政规范性文件清理计划。"))
    silent = [p.stem for p in _corpus() if any(is_normative(d) for d in parse_file(p).documents)]
    assert silent == []  # no file of the real corpus marks itself one


def test_repeal_of_a_listed_set_of_documents() -> None:
    life = _life(
        "县人民政府决定废止下列文件：\n\n"
        "1.《牟县甲办法》（牟政发〔2010〕1号）\n\n"
        "2.《牟县乙办法》（牟政发〔2011〕2号）\n\n"
        "本决定自印发之日起施行。"
    )
    repeals = [(r.kind, r.key, r.sentence) for r in life.relations]
    assert repeals == [
        ("repeals", "牟政发〔2010〕1号", "1.《牟县甲办法》（牟政发〔2010〕1号）"),
        ("repeals", "牟政发〔2011〕2号", "2.《牟县乙办法》（牟政发〔2011〕2号）"),
    ]
    assert life.effective.basis == "issue"


def test_extension_of_the_documents_in_a_table() -> None:
    life = _life(
        "下列文件有效期延长至2026年12月31日：\n\n"
        "| 序号 | 文件名称 | 文号 |\n|---|---|---|\n"
        "| 1 | 牟县甲办法 | 牟政发〔2010〕1号 |\n| 2 | 牟县乙办法 | 牟政发〔2011〕2号 |\n\n"
        "请各单位遵照执行。"
    )
    assert [(r.kind, r.key, r.until) for r in life.relations] == [
        ("extends", "牟政发〔2010〕1号", date(2026, 12, 31)),
        ("extends", "牟政发〔2011〕2号", date(2026, 12, 31)),
    ]


def test_a_list_of_tasks_after_a_colon_is_no_list_of_documents() -> None:
    life = _life("现将有关事项通知如下：\n\n1.按照《牟县甲办法》做好工作。")
    assert life.relations == []
