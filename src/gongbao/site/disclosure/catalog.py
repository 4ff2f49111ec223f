"""The 主动公开基本目录: seed items, and the coverage check.

The areas come from the gazette profile's ``[[catalog]]`` (``gongbao.site.gazettes``;
the sample county's in ``samples/guanxian.toml``); without a profile, ``SEED``: the
areas of 条例 Art 20–21 any county government discloses (finance, major projects,
public resources, social assistance, education, health, environment, food and
drugs, housing, state assets, work safety, plus the basics), named by office kind.
Seeded once into an empty table; staff then edit it (admin) and it is public at /xxgk/catalog/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

SEED = [
    ("JG", "机构职能", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", "条例第二十条第（二）项", "县政府办公室", 365),
    ("GF", "政策文件", "规章、行政规范性文件及其解读", "条例第二十条第（一）项", "各文件起草部门", 90),
    ("GH", "规划计划", "国民经济和社会发展规划、专项规划及相关政策", "条例第二十条第（三）项", "县发改局", 365),
    ("YJ", "财政预决算", "政府预算、决算及“三公”经费预决算", "条例第二十条第（七）项", "县财政局", 365),
    ("ZD", "重大建设项目", "重大建设项目批准和实施情况：审批、招标投标、征收土地、施工、竣工", "条例第二十条第（十）项", "县发改局", 180),
    ("GZ", "公共资源配置", "公共资源交易、政府采购、国有土地使用权出让、矿业权出让", "条例第二十条第（九）项", "县公共资源交易中心", 90),
    ("JZ", "社会救助", "城乡低保、特困供养、医疗救助、临时救助的政策、标准、办理流程和公示", "条例第二十条第（十一）项、第二十一条", "县民政局", 90),
    ("JY", "教育", "招生入学政策、教育经费、学校信息", "条例第二十条第（十一）项", "县教育局", 365),
    ("WS", "医疗卫生", "医疗机构、公共卫生、医疗保障政策", "条例第二十条第（十一）（十三）项", "县卫计局", 180),
    ("HB", "生态环境", "环境质量、污染源监管、环评审批、环保督察整改", "条例第二十条第（十三）项", "县环保局", 90),
    ("SP", "食品药品", "食品药品抽检、监督检查和处罚结果", "条例第二十条第（十三）项", "县食品药品监管局", 90),
    ("ZF", "保障性住房", "保障性安居工程建设、分配和退出", "条例第二十一条", "县住建局", 180),
    ("GQ", "国有资产", "国有企业经营、国有资产管理", "条例第二十条第（十五）项", "县国资局", 365),
    ("AQ", "安全生产", "安全生产监督检查、事故调查处理", "条例第二十条第（十三）项", "县安监局", 180),
    ("ZS", "征收征用", "土地征收、房屋征收与补偿", "条例第二十一条", "县国土局、县住建局", 180),
    ("RS", "公务员招考", "公务员招考职位、名额、条件及录用结果", "条例第二十条第（十四）项", "县人社局", 365),
]  # fmt: skip


def ensure_catalog(**_: object) -> None:
    from gongbao.site.disclosure.models import CatalogItem

    if CatalogItem.objects.exists():
        return
    from gongbao.site.gazettes.services import ProfileError, site_profile

    try:
        profile = site_profile()
    except ProfileError:
        profile = None  # a broken profile file: staff see its message where it is used
    seed = SEED
    if profile is not None and profile.catalog:
        seed = [
            (a.code, a.area, a.content, a.legal_basis, a.unit, a.period_days)
            for a in profile.catalog
        ]
    CatalogItem.objects.bulk_create(
        CatalogItem(
            code=code,
            area=area,
            content=content,
            legal_basis=basis,
            responsible_unit=unit,
            period_days=days,
            position=i,
        )
        for i, (code, area, content, basis, unit, days) in enumerate(seed, start=1)
    )


@dataclass
class Coverage:
    item: object
    documents: int
    latest: object
    covered: bool


def coverage() -> list[Coverage]:
    """Each item with its public documents; uncovered = none formed within its period."""
    from gongbao.site import access
    from gongbao.site.disclosure.models import CatalogItem

    today = timezone.localdate()
    public = {
        (g, i): d
        for g, i, d in access.public_documents().values_list("gazette_id", "ident", "date")
    }
    out = []
    for item in CatalogItem.objects.prefetch_related("records"):
        dates = [
            public[(r.gazette_id, r.ident)]
            for r in item.records.all()
            if (r.gazette_id, r.ident) in public
        ]
        dated = [d for d in dates if d is not None]
        latest = max(dated) if dated else None
        covered = latest is not None and latest >= today - timedelta(days=item.period_days)
        out.append(Coverage(item, len(dates), latest, covered))
    return out
