"""The reply letter (政府信息公开申请答复书): type, legal basis, reasons, remedies (Art 36).

For a refusal (不予公开, and the withheld part of 部分公开) the letter carries the
notice that administrative reconsideration must come first (行政复议法 2023 Art 23
para 1 item 4 and para 2); otherwise reconsideration within 60 days (Art 20) or a
lawsuit within 6 months (行政诉讼法 Art 46).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongbao.site.disclosure import outcomes
from gongbao.site.disclosure.models import Config, Request

LAW = "《中华人民共和国政府信息公开条例》"


@dataclass
class Letter:
    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    basis: str
    remedy: str
    organ: str
    date: str
    documents: list[tuple[str, str]] = field(default_factory=list)  # (title, doc number)


def _body(req: Request, kind: outcomes.Outcome) -> list[str]:
    reason = req.reason.strip()
    group = kind.group
    if kind.code == "disclosed":
        return [
            f"经审查，您申请获取的政府信息属于公开范围，根据{LAW}{kind.basis}的规定，现予以提供。"
        ]
    if kind.code == "partial":
        return [
            f"经审查，您申请获取的政府信息中部分内容可以公开，根据{LAW}第三十七条的规定，"
            "对可以公开的部分予以提供；对不予公开的部分，理由如下：" + reason
        ]
    if group == "（三）":
        return [
            f"经审查，您申请获取的政府信息{kind.label[2:]}，根据{LAW}{kind.basis}的规定，不予公开。理由：{reason}"
        ]
    if kind.code == "not_held":
        text = f"经检索，本机关不掌握您申请获取的政府信息。根据{LAW}{kind.basis}的规定，特此告知。{reason}"
        if req.competent_organ:
            text += f"该政府信息的公开机关为：{req.competent_organ}，请向其提出申请。"
        return [text]
    if group == "（四）":
        return [
            f"根据{LAW}{kind.basis}的规定，本机关无法提供您申请的政府信息（{kind.label[2:]}）。理由：{reason}"
        ]
    return [f"根据{LAW}{kind.basis}的规定，对您的申请不予处理（{kind.label[2:]}）。理由：{reason}"]


def remedy(kind: outcomes.Outcome, config: Config) -> str:
    if kind.refusal:
        return (
            f"如对本答复不服，可以自收到本答复之日起60日内向{config.reconsideration_organ}申请行政复议。"
            "根据《中华人民共和国行政复议法》第二十三条的规定，对行政机关不予公开政府信息不服的，"
            "应当先向行政复议机关申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼。"
        )
    return (
        f"如对本答复不服，可以自收到本答复之日起60日内向{config.reconsideration_organ}申请行政复议，"
        f"也可以自知道或者应当知道本答复之日起6个月内向{config.court}提起行政诉讼。"
    )


def reply_letter(req: Request) -> Letter | None:
    kind = outcomes.BY_CODE.get(req.outcome)
    if req.state != Request.REPLIED or kind is None:
        return None
    config = Config.get()
    paragraphs = [
        f"您（单位）于{req.received_on:%Y年}{req.received_on.month}月{req.received_on.day}日"
        f"向本机关提出的政府信息公开申请（登记编号：{req.number}）收悉。您申请获取的政府信息为：{req.description}",
        *_body(req, kind),
    ]
    if req.reply_text:
        paragraphs.append(req.reply_text)
    docs = [(d.title, d.doc_number) for d in req.documents.all()]
    closed = req.closed_on
    return Letter(
        title="政府信息公开申请答复书",
        number=req.number,
        addressee=req.name,
        paragraphs=paragraphs,
        basis=f"{LAW}{kind.basis}" if kind.basis else LAW,
        remedy=remedy(kind, config),
        organ=config.organ,
        date=f"{closed.year}年{closed.month}月{closed.day}日" if closed else "",
        documents=docs,
    )
