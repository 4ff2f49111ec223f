"""The personal-data scanner (gongbao.core.privacy): validators, masks, lists, the real issue."""

from __future__ import annotations

import re

import pytest

from gongbao.core import privacy
from gongbao.core.privacy import scan
from tests.data.disclosure.dibao import dibao_list


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text)]


# -- validators ------------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_id_check_digit_vectors(number: str) -> None:
    # cn-rules §7 test vectors (ISO 7064 MOD 11-2).
    assert privacy.id_check_char(number[:17]) == number[17]
    assert privacy.valid_id_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "110105194913310029",  # month 13
        "110105194902300024",  # 30 February
    ],
)
def test_invalid_id_numbers_are_not_flagged(number: str) -> None:
    assert not privacy.valid_id_number(number)
    assert ("id_card", number) not in kinds(f"身份证号码{number}")


def test_luhn() -> None:
    assert privacy.luhn_ok("4111111111111111")
    assert not privacy.luhn_ok("4111111111111112")


# -- each kind, with its mask ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "masked"),
    [
        ("身份证号码：370125198001011234的申请人", "id_card", None, None),
        ("联系电话13812345678。", "mobile", "13812345678", "138****5678"),
        ("手机+86 13912345678", "mobile", "+86 13912345678", "+86 139****5678"),
        ("电话：0635-5123456", "landline", "0635-5123456", "0635-***3456"),
        ("座机（010）62345678转", "landline", "（010）62345678", "（010）****5678"),
        ("卡号 6222 0212 3456 7890 128", "bank_card", None, None),
        ("邮箱 zhang.san@example.com 联系", "email", "zhang.san@example.com", "z***@example.com"),
        ("家住冠县红旗路18号3单元502室", "address", None, None),
        ("住址：东关村3组15号", "address", None, None),
    ],
)
def test_each_kind(text: str, kind: str, value: str | None, masked: str | None) -> None:
    found = scan(text)
    hits = [f for f in found if f.kind == kind]
    if kind == "id_card":
        # 370125198001011234 is not valid; build a valid one in the same place.
        body = "37012519800101123"
        number = body + privacy.id_check_char(body)
        hits = [f for f in scan(text.replace("370125198001011234", number)) if f.kind == kind]
        assert hits and hits[0].text == number
        assert hits[0].masked == number[:4] + "*" * 10 + number[-4:]
        assert hits[0].masked.startswith("3701**********")
        return
    assert hits, (text, [(f.kind, f.text) for f in found])
    if value is not None:
        assert hits[0].text == value
        assert hits[0].masked == masked
    if kind == "bank_card":
        assert hits[0].masked.startswith("622202") and hits[0].masked.endswith("0128")
    if kind == "address":
        assert "**" in hits[0].masked and not any(ch.isdigit() for ch in hits[0].masked)


def test_mask_replaces_spans_and_redact_keeps_chosen() -> None:
    text = "张三，电话13812345678，邮箱 a@b.cn"
    assert privacy.redact(text) == "张三，电话138****5678，邮箱 a***@b.cn"
    assert privacy.redact(text, keep={("email", "a@b.cn")}) == "张三，电话138****5678，邮箱 a@b.cn"


@pytest.mark.parametrize(
    "text",
    [
        "冠政发〔2018〕64号",
        "2018年8月1日，截至2019年12月31日",
        "统一社会信用代码 91371525MA3C4XYZ1K",
        "政务服务热线12345，向全社会公开",
        "投资总额1234567890元，面积3456789平方米",
        "国道309线改造，G309",
        "县政府办公室位于冠宜春路1号",  # an office address: one number only, no residential cue
    ],
)
def test_no_false_positives_on_ordinary_official_text(text: str) -> None:
    assert scan(text) == []


# -- names only in list-like content ----------------------------------------------------


def test_names_flagged_in_dibao_list_with_every_planted_item() -> None:
    text, truth = dibao_list(seed=7, rows=40)
    found = {(f.kind, f.text) for f in scan(text)}
    assert found == set(truth)  # precision and recall 1.0 on the generated list
    masked = privacy.redact(text)
    for kind, value in truth:
        assert value not in masked, (kind, value)
    # What the 低保 rules allow stays: 保障人数, 金额, the 12345 hotline, the issuing body.
    assert "12345" in masked and "冠县民政局" in masked
    assert any(f"\t{amount}" in masked for amount in (280, 360, 420, 515))


def test_names_in_markdown_table_with_header() -> None:
    text = "| 序号 | 姓名 | 保障人数 | 金额 |\n|---|---|---|---|\n| 1 | 欧阳明 | 3 | 420 |\n| 2 | 张 伟 | 2 | 280 |\n"
    found = [(f.kind, f.text, f.masked) for f in scan(text)]
    assert ("name", "欧阳明", "欧阳某") in found
    assert ("name", "张 伟", "张某") in found


def test_leadership_list_names_are_not_personal_data() -> None:
    text = (
        "组 长：赵存吉 县委常委、常务副县长\n"
        "成 员：赵 光 县审改办主任\n"
        "姓名\t职务\n郭洪恩\t县统计局局长\n刘正军\t县人社局副局长\n"
    )
    assert scan(text) == []


def test_real_issue_has_no_false_positives(shared_file) -> None:
    """Precision on the real issue: it holds no personal data to mask, so no finding at all.

    It does hold the 经济普查 leading-group list (officials' names with positions)
    and the 政务公开 plan's 12345 hotline; neither may be flagged.
    """
    text = shared_file("corpus", "guanxian-2018-03.md").read_text("utf-8")
    assert "赵存吉" in text and "郭洪恩" in text
    assert scan(text) == []


def test_wrong_check_digit_is_said_plainly_not_a_bank_card() -> None:
    body = "37012519800101123"
    wrong = body + ("0" if privacy.id_check_char(body) != "0" else "1")
    (finding,) = scan(f"身份证号码{wrong}")
    assert finding.kind == "id_like" and finding.label == "校验位不符的18位数字"
    assert finding.masked == wrong[:4] + "*" * 10 + wrong[-4:]
    # even when the digits happen to pass Luhn, it is not called a bank card
    for last in "0123456789":
        number = body + last
        if privacy.luhn_ok(number) and not privacy.valid_id_number(number):
            assert [f.label for f in scan(number)] == ["校验位不符的18位数字"]


def test_official_contact_points_follow_the_office_rule() -> None:
    office = "联系人：李红，电话：0635-5123456。咨询电话：0635-5000001"
    assert scan(office) == []
    assert [f.kind for f in scan("联系人：李红，联系电话：13812345678")] == ["mobile"]
    assert [f.kind for f in scan("1\t李红\t0635-5123456")] == ["landline"]  # a list row
    assert [f.kind for f in scan("电话：0635-5123456")] == ["landline"]  # no contact-point cue
    privacy.configure(official_contacts_public=False)
    try:
        assert [f.kind for f in scan(office)] == ["landline", "landline"]
    finally:
        privacy.configure(official_contacts_public=True)


# Texts with every kind of finding, in each form the patterns allow, and near misses.
HINTED = [
    "身份证号码：370125198001011234的申请人",
    "身份证：370125800101123，户主",  # 15 digits after the cue
    "联系电话13812345678。手机+86 139-1234-5678，0086 139 1234 5678",
    "手机139-1234-5678",
    "电话：0635-5123456，座机（010）62345678转123，电话 5123456",
    "卡号 6222 0212 3456 7890 128，6222-0212-3456-7890，6222021234567890128",
    "邮箱 zhang.san@example.com 联系，a@b.cn",
    "家住冠县红旗路18号3单元502室，住址：东关村3组15号，幸福大道１２号３单元",
    "前进胡同5号2排，阳光小区3号楼2单元，桃园花园7栋1单元，丽景公寓8幢3层",
    "清泉社区十二组5号3户，石库门弄3号2室，李家屯4组12户，长寿巷6号1室",
    "1\t李红\t0635-5123456",
    "| 序号 | 姓名 | 保障人数 |\n|---|---|---|\n| 1 | 欧阳明 | 3 |",
    "｜序号｜姓名｜\n｜1｜张 伟｜",
    "序号\u3000\u3000姓名\n1\u3000\u3000王小明",
    "序号  姓名  金额\n1  王小明  420",
    "2018年8月1日，冠政发〔2018〕64号，国道309线改造，G309，投资总额1234567890元",
]


def test_hints_skip_only_texts_without_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick checks before the patterns change no result: every text scans the same
    with them as with checks that always pass."""
    texts = [*HINTED, dibao_list(seed=7, rows=40)[0], dibao_list(seed=3, rows=12)[0]]
    texts += [line for text in list(texts) for line in text.split("\n")]
    texts += [piece for text in HINTED for piece in text.split("，")]
    guarded = [privacy._scan.__wrapped__(t) for t in texts]
    assert sum(bool(found) for found in guarded) > len(HINTED)
    for name in ("_NUMBER_HINT", "_EMAIL_HINT", "_ADDRESS_HINT", "_LIST_HINT"):
        monkeypatch.setattr(privacy, name, re.compile(""))
    for text, found in zip(texts, guarded, strict=True):
        assert privacy._scan.__wrapped__(text) == found, text
