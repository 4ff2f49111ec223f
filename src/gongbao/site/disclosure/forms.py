"""Forms: the public application and message forms (spam defence without CAPTCHA), staff actions."""

from __future__ import annotations

import re
import time

from django import forms
from django.core import signing

from gongbao.core.privacy import id_shaped, valid_id_number
from gongbao.site.disclosure import deadlines, outcomes
from gongbao.site.disclosure.models import CatalogItem, DisclosureRecord, Request

MAX_ATTACHMENT = 5 * 1024 * 1024
MIN_FILL_SECONDS = 2  # a person needs longer than this to fill the form
MAX_FORM_AGE = 2 * 3600
_STAMP_SALT = "gongbao.disclosure.form"
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
ID_CARD = "居民身份证"
# Mobile (+86 optional) or a landline with its area code, an extension after 转 or -.
_PHONE = re.compile(r"(?:\+?86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:(?:转|-|ext\.?)\d{1,6})?", re.I)
_PHONE_SEPARATORS = re.compile(r"[\s()（）]|(?<=\d)-(?=\d{7,8}(?:\D|$))")
ID_TYPES = [(ID_CARD, ID_CARD), ("护照", "护照"), ("营业执照", "营业执照"),
            ("统一社会信用代码证书", "统一社会信用代码证书"), ("其他", "其他证件")]  # fmt: skip


def new_stamp(token: str) -> str:
    return signing.dumps({"k": token, "t": time.time()}, salt=_STAMP_SALT)


def read_stamp(value: str) -> tuple[str | None, str]:
    """(token, '') for a good stamp; (None, message) for a bot-fast, stale or forged one."""
    try:
        data = signing.loads(value or "", salt=_STAMP_SALT, max_age=MAX_FORM_AGE)
    except signing.SignatureExpired:
        return None, "表单已打开超过两小时，请刷新页面后重新填写。"
    except signing.BadSignature:
        return None, "表单已失效，请刷新页面后重新填写。"
    if time.time() - float(data["t"]) < MIN_FILL_SECONDS:
        return None, "提交过快，请确认内容后再提交。"
    return str(data["k"]), ""


def check_id_card(value: str) -> str:
    """A 居民身份证号码 (GB 11643): 18 characters, a real birth date, the right check character."""
    number = value.strip().replace(" ", "").upper()
    if valid_id_number(number):
        return number
    if len(number) == 15 and number.isdigit():
        raise forms.ValidationError("15 位居民身份证已停止使用，请填写 18 位号码。")
    if id_shaped(number):
        raise forms.ValidationError(
            "居民身份证号码的校验位（最后一位）与前 17 位不符，请逐位核对后重新填写。"
        )
    raise forms.ValidationError(
        "请填写 18 位居民身份证号码（前 17 位为数字，最后一位为数字或 X），出生日期须真实。"
    )


def check_phone(value: str) -> str:
    """A mobile number or a landline with area code, as written (separators allowed)."""
    compact = _PHONE_SEPARATORS.sub("", value.strip())
    if not _PHONE.fullmatch(compact):
        raise forms.ValidationError(
            "请填写有效的联系电话：11 位手机号码，或带区号的固定电话（如 0635-5812345）。"
        )
    return value.strip()


def _no_markup(value: str) -> str:
    if _MARKUP.search(value or ""):
        raise forms.ValidationError(
            "内容中不能包含网页代码（如 <script>、HTML 标签），请删除后再提交。"
        )
    return value


class SpamCheckedForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput)
    # The honeypot: hidden by the stylesheet, labelled for screen readers to leave empty.
    website = forms.CharField(required=False, label="请勿填写此项", max_length=200)

    spam_check = True

    def clean(self):
        data = super().clean()
        if self.spam_check:
            if data.get("website"):
                raise forms.ValidationError("提交未被接受。")
            token, problem = read_stamp(data.get("stamp", ""))
            if problem:
                raise forms.ValidationError(problem)
            data["token"] = token
        for name, value in data.items():
            if isinstance(value, str) and name not in ("stamp",):
                _no_markup(value)
        return data


class RequestForm(SpamCheckedForm):
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=Request.APPLICANT_TYPES, widget=forms.RadioSelect
    )
    org_type = forms.ChoiceField(
        label="组织类型（法人或其他组织填写）",
        choices=[("", "—"), *outcomes.ORG_TYPES],
        required=False,
    )
    name = forms.CharField(label="姓名或名称", max_length=100)
    id_type = forms.ChoiceField(label="身份证明", choices=ID_TYPES)
    id_number = forms.CharField(label="证件号码", max_length=40)
    legal_rep = forms.CharField(
        label="法定代表人或负责人（法人或其他组织填写）", max_length=50, required=False
    )
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=40)
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "请填写有效的电子邮箱地址，如 zhangsan@example.com。"},
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    description = forms.CharField(
        label="所需政府信息的名称或内容描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    doc_number = forms.CharField(label="文号（如知道）", max_length=100, required=False)
    purpose = forms.CharField(
        label="用途（选填）",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    form = forms.ChoiceField(
        label="信息的载体形式", choices=Request.FORMS, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式", choices=Request.DELIVERIES, widget=forms.RadioSelect
    )
    attachment = forms.FileField(
        label="附件（身份证明等，PDF 或图片，不超过 5MB，选填）", required=False
    )

    field_order = [
        "applicant_type", "org_type", "name", "id_type", "id_number", "legal_rep", "contact_name",
        "phone", "email", "address", "postcode", "description", "doc_number", "purpose", "form",
        "delivery", "attachment", "website", "stamp",
    ]  # fmt: skip

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        if self.cleaned_data.get("id_type") == ID_CARD:
            return check_id_card(value)
        return value.strip()

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data["phone"])

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f and f.size > MAX_ATTACHMENT:
            raise forms.ValidationError("附件不能超过 5MB。")
        if f and not re.search(r"\.(pdf|png|jpe?g)$", f.name, re.IGNORECASE):
            raise forms.ValidationError("附件只接受 PDF、PNG 或 JPEG 文件。")
        return f

    def clean(self):
        data = super().clean()
        if data.get("applicant_type") == Request.LEGAL and not data.get("org_type"):
            self.add_error("org_type", "法人或其他组织请选择组织类型。")
        if data.get("delivery") == "post" and not data.get("address"):
            self.add_error("address", "选择邮寄时请填写通信地址。")
        if data.get("delivery") == "email" and not data.get("email"):
            self.add_error("email", "选择电子邮件时请填写电子邮箱。")
        return data


class StaffRequestForm(RequestForm):
    """Staff register an application that came in person, by post or fax (Art 31 receipt day)."""

    spam_check = False
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    channel = forms.ChoiceField(label="提交渠道", choices=deadlines.CHANNELS)
    received_on = forms.DateField(label="收到申请日期（邮寄为签收日，传真、在线为双方确认日）")


class LookupForm(forms.Form):
    number = forms.CharField(label="登记编号", max_length=30)
    code = forms.CharField(
        label="查询码", max_length=40, widget=forms.PasswordInput(render_value=False)
    )


class MessageForm(SpamCheckedForm):
    text = forms.CharField(
        label="留言内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )
    name = forms.CharField(label="称呼（选填，不公开）", max_length=50, required=False)
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=100, required=False)
    field_order = ["text", "name", "contact", "website", "stamp"]


class AttributeForm(forms.Form):
    attribute = forms.ChoiceField(label="公开属性", choices=DisclosureRecord.ATTRIBUTES)
    legal_ground = forms.ChoiceField(
        label="不公开的法定依据", choices=[("", "—"), *outcomes.EXEMPTION_GROUNDS], required=False
    )
    ground_note = forms.CharField(
        label="理由说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ChoiceField(
        label="文件类别（年度报告表二）", choices=DisclosureRecord.CATEGORIES
    )
    is_policy = forms.BooleanField(label="政策性文件（需要政策解读）", required=False)
    repealed_on = forms.DateField(label="废止日期", required=False)
    catalog_items = forms.ModelMultipleChoiceField(
        label="主动公开基本目录条目", queryset=CatalogItem.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="答复类型（条例第三十六条）", choices=outcomes.REPLY_CHOICES)
    reason = forms.CharField(
        label="理由和法律依据", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    competent_organ = forms.CharField(
        label="负责公开该信息的机关及联系方式（非本机关掌握时）", required=False
    )
    text = forms.CharField(
        label="答复正文", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    documents = forms.CharField(label="随答复提供的档案文件（文件标识，逗号分隔）", required=False)
