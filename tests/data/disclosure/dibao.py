"""A generated 低保 publicity list with planted personal data, and the truth of what is in it.

Each row: 序号, 户主姓名, 身份证号码 (valid GB 11643 check digit), 联系电话 (mobile or
landline), 银行卡号 (Luhn-valid), 家庭住址 (detailed), 保障人数, 月保障金额. The
truth lists every (kind, text) the scanner must find; nothing else is personal data.
"""

from __future__ import annotations

import random

from gongbao.core.privacy import id_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华"
VILLAGES = ["东关村", "西街村", "柳林村", "清泉社区", "崇文社区", "北馆陶村"]
ROADS = ["红旗路", "振兴路", "冠宜春路", "建设街", "文化路"]
AREAS = ["371525", "371502", "110105", "440524"]


def id_number(rng: random.Random) -> str:
    body = (
        rng.choice(AREAS)
        + f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        + f"{rng.randint(0, 999):03d}"
    )
    return body + id_check_char(body)


def luhn_card(rng: random.Random, length: int = 19) -> str:
    digits = "622848" + "".join(str(rng.randint(0, 9)) for _ in range(length - 7))
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError


def dibao_list(seed: int = 0, rows: int = 30) -> tuple[str, list[tuple[str, str]]]:
    rng = random.Random(seed)
    lines = [
        "冠县清泉街道2018年第二季度城乡低保对象公示名单",
        "",
        "序号\t户主姓名\t身份证号码\t联系电话\t银行卡号\t家庭住址\t保障人数\t月保障金额（元）",
    ]
    truth: list[tuple[str, str]] = []
    used_names: set[str] = set()
    for n in range(1, rows + 1):
        while True:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            if name not in used_names:
                used_names.add(name)
                break
        ident = id_number(rng)
        if n % 5 == 0:
            phone = f"0635-{rng.randint(2000000, 9999999)}"
            phone_kind = "landline"
        else:
            phone = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
            phone_kind = "mobile"
        card = luhn_card(rng)
        if n % 2:
            address = f"{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 6)}单元{rng.randint(101, 602)}室"
        else:
            address = f"{rng.choice(VILLAGES)}{rng.randint(1, 9)}组{rng.randint(1, 80)}号"
        people, amount = rng.randint(1, 5), rng.choice([280, 360, 420, 515])
        lines.append(f"{n}\t{name}\t{ident}\t{phone}\t{card}\t{address}\t{people}\t{amount}")
        truth += [
            ("name", name),
            ("id_card", ident),
            (phone_kind, phone),
            ("bank_card", card),
            ("address", address),
        ]
    lines += ["", "监督举报电话：12345。公示期7天。", "冠县民政局", "2018年7月2日"]
    return "\n".join(lines) + "\n", truth
