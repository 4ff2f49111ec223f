"""Disclosure tables. Rows are written by ``services`` (and staff through the admin).

Documents are referred to by (gazette, ident), the identity that survives a
corrected version of an issue (the archive replaces the document rows then), so
a 公开属性 or a reviewer's decision is never lost by a re-import.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from gongbao.core.profile import DEFAULT_INDEX_SCHEME
from gongbao.site.archive.models import Document, Gazette
from gongbao.site.disclosure import deadlines, outcomes

User = settings.AUTH_USER_MODEL


def private_storage() -> FileSystemStorage:
    """Uploads (applicants' attachments, 解读 images) under the data folder, never served as is."""
    root = getattr(settings, "MEDIA_ROOT", "") or Path(settings.HOME) / "media"
    return FileSystemStorage(location=root, base_url=None)


class Config(models.Model):
    """One row: the office, its remedies, the 索引号 scheme and the 依申请转主动 threshold.

    Until staff save the row, its values come from the gazette profile's
    ``[disclosure]`` (``gongbao.site.gazettes``): nothing about one county is in the code.
    """

    organ = models.CharField("机关名称", max_length=200, blank=True)
    office = models.CharField("政府信息公开工作机构", max_length=200, blank=True)
    address = models.CharField("办公地址", max_length=300, blank=True)
    phone = models.CharField("联系电话", max_length=60, blank=True)
    reconsideration_organ = models.CharField("行政复议机关", max_length=200, blank=True)
    court = models.CharField("管辖法院", max_length=200, default="有管辖权的人民法院")
    org_code = models.CharField("机构代码（索引号前缀）", max_length=40, blank=True)
    index_scheme = models.CharField(
        "索引号格式",
        max_length=120,
        default=DEFAULT_INDEX_SCHEME,
        help_text="可用：{org} 机构代码、{category} 目录类别代码、{year} 年份、{seq} 年内序号",
    )
    repeat_threshold = models.PositiveIntegerField(
        "依申请转主动公开阈值", default=3, help_text="同一信息被申请达到此次数时提示转为主动公开"
    )

    class Meta:
        verbose_name = verbose_name_plural = "政务公开设置"

    def __str__(self) -> str:
        return self.organ

    @classmethod
    def get(cls) -> Config:
        """The office's settings; the defaults (unsaved) until staff save them in the admin.

        Reading never creates the row, so no page writes on GET.
        """
        row = cls.objects.order_by("pk").first()
        if row is not None:
            return row
        from gongbao.site.gazettes.services import site_profile

        profile = site_profile()
        if profile is None:
            return cls(pk=1)
        d = profile.disclosure
        return cls(
            pk=1,
            organ=d.organ,
            office=d.office,
            reconsideration_organ=d.reconsideration_organ,
            org_code=d.org_code,
            index_scheme=d.index_scheme,
        )


class CalendarDay(models.Model):
    """A day of a State Council holiday notice that staff loaded (for years the package lacks)."""

    day = models.DateField("日期", unique=True)
    is_working = models.BooleanField("上班", help_text="勾选：调休上班日；不勾选：放假日")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "放假调休安排"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_working else '放假'}"


class CatalogItem(models.Model):
    """An item of the 主动公开基本目录: what is disclosed, by whom, how fast, where."""

    code = models.CharField("类别代码", max_length=20, unique=True)
    area = models.CharField("领域", max_length=100)
    content = models.TextField("公开内容")
    legal_basis = models.CharField("公开依据", max_length=300)
    responsible_unit = models.CharField("责任单位", max_length=200)
    time_limit = models.CharField(
        "公开时限", max_length=100, default="信息形成或变更之日起20个工作日内"
    )
    period_days = models.PositiveIntegerField(
        "覆盖检查周期（天）", default=365, help_text="此期间内没有已公开文件的条目在覆盖情况中列出"
    )
    channel = models.CharField("公开渠道", max_length=200, default="政府公报、政府网站")
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "主动公开基本目录"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.area}：{self.content[:30]}"


class DisclosureRecord(models.Model):
    """The 公开属性 of one document, decided at source; only 主动公开 reaches the public."""

    PUBLIC, ON_REQUEST, WITHHELD = "public", "on_request", "withheld"
    ATTRIBUTES = [(PUBLIC, "主动公开"), (ON_REQUEST, "依申请公开"), (WITHHELD, "不予公开")]
    NON_PUBLIC = (ON_REQUEST, WITHHELD)
    GROUNDS = outcomes.EXEMPTION_GROUNDS
    RULE, NORMATIVE, OTHER = "rule", "normative", "other"
    CATEGORIES = [(RULE, "规章"), (NORMATIVE, "行政规范性文件"), (OTHER, "其他")]

    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE, related_name="+")
    ident = models.CharField("文件标识", max_length=160)
    attribute = models.CharField("公开属性", max_length=20, choices=ATTRIBUTES, default=PUBLIC)
    legal_ground = models.CharField("不公开依据", max_length=40, choices=GROUNDS, blank=True)
    ground_note = models.TextField("理由说明", blank=True)
    index_number = models.CharField("索引号", max_length=80, blank=True)
    category = models.CharField("文件类别", max_length=20, choices=CATEGORIES, default=OTHER)
    is_policy = models.BooleanField("政策性文件（需要解读）", default=False)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    catalog_items = models.ManyToManyField(CatalogItem, blank=True, related_name="records")
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开属性"
        constraints = [
            models.UniqueConstraint(fields=["gazette", "ident"], name="one_record_per_document")
        ]
        permissions = [("set_attribute", "可以认定和变更公开属性")]

    def __str__(self) -> str:
        return f"{self.ident}：{self.get_attribute_display()}"

    @property
    def document(self) -> Document | None:
        return Document.objects.filter(gazette_id=self.gazette_id, ident=self.ident).first()


class PrivacyDecision(models.Model):
    """A reviewer's decision on one piece of personal data in one document."""

    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    DECISIONS = [(PENDING, "待审核"), (ACCEPTED, "去标识化（遮蔽）"), (REJECTED, "保留原文")]

    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE, related_name="+")
    ident = models.CharField("文件标识", max_length=160)
    kind = models.CharField("类型", max_length=20)
    text = models.CharField("原文", max_length=200)
    masked = models.CharField("遮蔽后", max_length=200)
    context = models.CharField("上下文", max_length=300, blank=True)
    decision = models.CharField("决定", max_length=10, choices=DECISIONS, default=PENDING)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息审查"
        ordering = ["gazette", "ident", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gazette", "ident", "kind", "text"], name="one_decision_per_finding"
            )
        ]
        permissions = [("review_privacy", "可以审查个人信息（遮蔽或保留）")]


class Request(models.Model):
    """An application for disclosure (依申请公开) and where it stands."""

    RECEIVED, CORRECTION, CONSULTING, FEE, REPLIED, WITHDRAWN = (
        "received", "correction", "consulting", "fee", "replied", "withdrawn"
    )  # fmt: skip
    STATES = [
        (RECEIVED, "办理中"),
        (CORRECTION, "待补正"),
        (CONSULTING, "征求第三方意见"),
        (FEE, "待缴费"),
        (REPLIED, "已答复"),
        (WITHDRAWN, "已终止"),
    ]
    OPEN_STATES = (RECEIVED, CORRECTION, CONSULTING, FEE)
    NATURAL, LEGAL = "natural", "legal"
    APPLICANT_TYPES = [(NATURAL, "自然人"), (LEGAL, "法人或其他组织")]
    ORG_TYPES = outcomes.ORG_TYPES
    FORMS = [("paper", "纸质"), ("electronic", "电子文本")]
    DELIVERIES = [
        ("post", "邮寄"),
        ("email", "电子邮件"),
        ("pickup", "当面领取"),
        ("online", "网上获取"),
    ]

    number = models.CharField("登记编号", max_length=30, unique=True)
    code_hash = models.CharField(max_length=64)
    token = models.CharField(max_length=64, unique=True)
    applicant_type = models.CharField("申请人类型", max_length=10, choices=APPLICANT_TYPES)
    org_type = models.CharField("组织类型", max_length=20, choices=ORG_TYPES, blank=True)
    name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("身份证明", max_length=40)
    id_number = models.CharField("证件号码", max_length=40)
    legal_rep = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    description = models.TextField("所需信息的名称或描述")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    purpose = models.TextField("用途（选填）", blank=True)
    form = models.CharField("信息载体形式", max_length=20, choices=FORMS)
    delivery = models.CharField("获取方式", max_length=20, choices=DELIVERIES)
    attachment = models.FileField(
        "附件", upload_to="disclosure/requests/", storage=private_storage, blank=True
    )
    channel = models.CharField("提交渠道", max_length=20, choices=deadlines.CHANNELS)
    received_on = models.DateField("收到申请日期")
    clock_start = models.DateField("计时起点")
    state = models.CharField("状态", max_length=20, choices=STATES, default=RECEIVED)
    due_on = models.DateField("答复期限", null=True, blank=True)
    calendar_note = models.CharField("期限说明", max_length=300, blank=True)
    extension_days = models.PositiveIntegerField("延长工作日", default=0)
    extension_approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pauses = models.JSONField("不计入期限的期间", default=list, blank=True)
    paused_since = models.DateField("暂停起点", null=True, blank=True)
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_deadline = models.DateField("补正期限", null=True, blank=True)
    correction_text = models.TextField("补正事项", blank=True)
    fee_amount = models.PositiveIntegerField("信息处理费（元）", default=0)
    fee_method = models.CharField("计费方式", max_length=10, blank=True)
    fee_deadline = models.DateField("缴费期限", null=True, blank=True)
    subject = models.CharField("信息主题（用于统计重复申请）", max_length=200, blank=True)
    outcome = models.CharField(
        "办理结果", max_length=30, choices=outcomes.OUTCOME_CHOICES, blank=True
    )
    reason = models.TextField("理由", blank=True)
    competent_organ = models.CharField("负责公开的机关", max_length=200, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "依申请公开"
        ordering = ["-received_on", "-id"]
        permissions = [
            ("handle_request", "可以办理依申请公开"),
            ("approve_extension", "可以批准延长答复期限"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class AuditEntry(models.Model):
    """Every change in disclosure work: who, when, what, from what to what."""

    subject = models.CharField("对象", max_length=200, db_index=True)
    action = models.CharField("操作", max_length=60)
    before = models.CharField("变更前", max_length=200, blank=True)
    after = models.CharField("变更后", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject} {self.action}"


class Interpretation(models.Model):
    """政策解读 of one policy document, published together with it (三同步)."""

    gazette = models.ForeignKey(Gazette, on_delete=models.CASCADE, related_name="+")
    ident = models.CharField("所解读文件标识", max_length=160)
    title = models.CharField("标题", max_length=300)
    text = models.TextField("解读正文")
    image = models.FileField(
        "图表或图片（PNG/JPEG）",
        upload_to="disclosure/interpretations/",
        storage=private_storage,
        blank=True,
    )
    image_caption = models.CharField("图片说明", max_length=200, blank=True)
    approved = models.BooleanField("已审定", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策解读"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """A public message (留言), answered within 2 working days; the answer is published on choice."""

    gazette = models.ForeignKey(
        Gazette, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ident = models.CharField("所涉文件", max_length=160, blank=True)
    name = models.CharField("称呼", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    text = models.TextField("留言内容")
    received_on = models.DateField("收到日期")
    due_on = models.DateField("答复期限", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    published = models.BooleanField("公开答复", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "留言"
        ordering = ["-created_at"]
        permissions = [("answer_message", "可以答复留言")]


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 (2021 format): narrative parts by staff, tables from the data."""

    year = models.PositiveIntegerField("年度", unique=True)
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    table2_extra = models.JSONField("表二中无法从档案统计的数字", default=dict, blank=True)
    table4 = models.JSONField("表四：行政复议、行政诉讼", default=dict, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        ordering = ["-year"]
        permissions = [("publish_report", "可以公布年度报告")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Named for the organ that reports (国办公开办函〔2021〕30号): <机关名称>2025年…"""
        return f"{Config.get().organ}{self.year}年政府信息公开工作年度报告"
