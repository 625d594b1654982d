"""The publishing gate (三审三校): what a document needs before it may be public.

A pipeline of small named rules, each ``rule(doc, vocab, now) -> list[Issue]``, run
by one :class:`Gate` on every document the public can see (``published`` and
``withdrawn``: a withdrawn page still shows the text that was approved, so the
sign-offs of its publication stay required). Drafts are not checked.

Issues carry the step (``review.final``) or the rule in ``field`` and say how to fix
the problem, usually with the ``scripts/review sign`` command to run.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from . import dates
from .digest import document_digest
from .issues import Issue, Severity
from .model import Document
from .vocab import STEPS, Vocab
from .wording import check_documents, load_matcher

STEP_LABELS = {
    "review.first": "初审", "review.second": "复审", "review.final": "终审",
    "proofread.first": "一校", "proofread.second": "二校", "proofread.third": "三校",
    "secrecy": "保密审查",
}
REVIEWS = ("review.first", "review.second", "review.final")
PROOFREADS = ("proofread.first", "proofread.second", "proofread.third")
GATED = ("published", "withdrawn")
SECRECY_OK = "不涉密"
BEIJING = ZoneInfo("Asia/Shanghai")

Rule = Callable[[Document, Vocab, dt.datetime], list[Issue]]


def beijing_now() -> dt.datetime:
    return dt.datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


# ---- reading sign-offs -------------------------------------------------------------------


def step_value(meta: dict, step: str):
    """The raw value of a dotted step path in the metadata (None when absent)."""
    value = meta
    for part in step.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class SignOff:
    step: str
    by: str
    on: dt.date | None


def signoff(doc: Document, step: str) -> SignOff | None:
    """The sign-off of a step when it names a signer; ``on`` is None when missing or invalid."""
    return signoffs(doc)[step]


def signoffs(doc: Document) -> dict[str, SignOff | None]:
    """Every step's sign-off, read once per document (the rules ask for them many times)."""
    cached = doc.__dict__.get("_signoffs")
    if cached is not None and cached[0] is doc.meta:
        return cached[1]
    found: dict[str, SignOff | None] = {}
    for step in STEPS:
        value = step_value(doc.meta, step)
        by = signed_by(value)
        found[step] = SignOff(step, by, _date(value["on"]) if value.get("on") else None) if by else None
    doc.__dict__["_signoffs"] = (doc.meta, found)
    return found


def signed_by(value) -> str:
    """Who signed a step, from its value in the metadata ("" when nobody: no mapping, or no ``by``)."""
    return str(value.get("by") or "").strip() if isinstance(value, dict) else ""


@functools.lru_cache(maxsize=4096)
def _date(value) -> dt.date | None:
    try:
        return dates.parse_date(value)
    except dates.DateProblem:
        return None


def signers_for(vocab: Vocab, step: str, on: dt.date | None = None) -> list[str]:
    """Who may sign ``step`` on the day ``on`` (today): on the roster with that step and not left before it."""
    on = on or beijing_now().date()
    return [r.name for r in vocab.reviewers.values() if step in r.steps and (r.left is None or r.left >= on)]


def sign_command(doc: Document, step: str, name: str = "姓名") -> str:
    return f"scripts/review sign {doc.source} --step {step} --by {name}"


def _issue(doc: Document, name: str, message: str, fix: str, line_of: str = "") -> Issue:
    return Issue(doc.source, doc.line(line_of or name), name, message, fix)


def _who(vocab: Vocab, step: str) -> str:
    names = signers_for(vocab, step)
    return f"（名册中可签署{STEP_LABELS[step]}的人：{'、'.join(names)}）" if names else \
        f"（名册中还没有可签署{STEP_LABELS[step]}的人，请先在 _data/reviewers.yml 中登记）"


# ---- the rules ---------------------------------------------------------------------------


def signoffs_complete(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """All three reviews, three proofreads and the secrecy review, each with ``by`` and a real ``on``."""
    out = []
    for step in STEPS:
        label, value = STEP_LABELS[step], step_value(doc.meta, step)

        def fix(step: str = step) -> str:  # made only when needed (the history replays this rule on every version)
            return f"签署：{sign_command(doc, step)}{_who(vocab, step)}"

        if value is None:
            out.append(_issue(doc, step, f"缺少{label}（{step}），已发布的文件必须完成三审三校和保密审查", fix()))
        elif not isinstance(value, dict):
            out.append(_issue(doc, step, f"{label}（{step}）应写成“{{by: 姓名, on: 日期}}”", fix()))
        else:
            if not signed_by(value):
                out.append(_issue(doc, step, f"{label}（{step}）缺少签署人 by", fix(), f"{step}.by"))
            if not value.get("on"):
                out.append(_issue(doc, step, f"{label}（{step}）缺少签署日期 on", "添加“on: YYYY-MM-DD”",
                                  f"{step}.on"))
            elif _date(value["on"]) is None:
                try:
                    dates.parse_date(value["on"])
                except dates.DateProblem as exc:
                    out.append(_issue(doc, step, f"{label}日期{exc}", "写成 YYYY-MM-DD，例如 2024-03-05",
                                      f"{step}.on"))
    return out


def signers_on_roster(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """Every signer is in ``_data/reviewers.yml`` with exactly that step."""
    out = []
    for step, s in signoffs(doc).items():
        if s is None:
            continue
        label = STEP_LABELS[step]
        reviewer = vocab.reviewers.get(s.by)
        if reviewer is None:
            out.append(_issue(doc, step, f"{label}签署人“{s.by}”不在审核人名册（_data/reviewers.yml）中",
                              f"由名册中的人签署{_who(vocab, step)}", f"{step}.by"))
        elif step not in reviewer.steps:
            allowed = "、".join(STEP_LABELS.get(x, x) for x in reviewer.steps) or "无"  # an invalid step: vocab says so
            out.append(_issue(doc, step, f"“{s.by}”无权签署{label}（{step}），名册中其可签署：{allowed}",
                              f"改由有权限的人签署{_who(vocab, step)}", f"{step}.by"))
        elif reviewer.left is not None and s.on is not None and s.on > reviewer.left:
            out.append(_issue(doc, step, f"{label}签署人“{s.by}”已于 {reviewer.left} 离任（名册中的 left），"
                                         f"{s.on} 的签署无效", f"由在任的人重新签署{_who(vocab, step)}", f"{step}.by"))
    return out


def three_different_reviewers(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """初审、复审、终审 are signed by three different people."""
    out = []
    seen: dict[str, str] = {}
    for step in REVIEWS:
        s = signoff(doc, step)
        if s is None:
            continue
        if s.by in seen:
            first = seen[s.by]
            others = [n for n in signers_for(vocab, step) if n not in seen]
            name = others[0] if others else "姓名"
            out.append(_issue(doc, step, f"{STEP_LABELS[first]}和{STEP_LABELS[step]}是同一人（{s.by}），"
                                         "三审须由三个不同的人完成",
                              f"由另一位有权限的人重新签署{STEP_LABELS[step]}：{sign_command(doc, step, name)}",
                              f"{step}.by"))
        else:
            seen[s.by] = step
    return out


def _in_order(doc: Document, steps: tuple[str, ...], what: str) -> list[Issue]:
    out = []
    signed = [s for s in (signoff(doc, step) for step in steps) if s is not None and s.on]
    for before, after in zip(signed, signed[1:]):
        if after.on < before.on:
            out.append(_issue(doc, after.step, f"{STEP_LABELS[after.step]}日期 {after.on} 早于"
                                               f"{STEP_LABELS[before.step]}日期 {before.on}",
                              f"{what}须依次进行（{'、'.join(STEP_LABELS[s] for s in steps)}），请核对签署日期",
                              f"{after.step}.on"))
    return out


def reviews_in_order(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    return _in_order(doc, REVIEWS, "三审")


def proofreads_in_order(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    return _in_order(doc, PROOFREADS, "三校")


def signed_before_publication(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """先审后发: no sign-off after the day of ``date`` (终审 is :func:`no_backdating`)."""
    if doc.date is None:
        return []
    out = []
    for step, s in signoffs(doc).items():
        if step != "review.final" and s is not None and s.on and s.on > doc.date.date():
            out.append(_issue(doc, step, f"{STEP_LABELS[step]}日期 {s.on} 晚于发布日期 {doc.date.date()}",
                              "先审后发：签署日期不能晚于发布日期，请核对签署日期和 date", f"{step}.on"))
    return out


def no_backdating(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """A publication date before the final review is a backdated page (倒签), refused."""
    s = signoff(doc, "review.final")
    if doc.date is None or s is None or s.on is None or s.on <= doc.date.date():
        return []
    return [_issue(doc, "date", f"发布日期 {doc.date.date()} 早于终审日期 {s.on}，不能倒签发布日期",
                   "date 写终审之后的实际发布时间；如需定时发布，写将来的时间")]


def not_signed_in_future(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    out = []
    for step, s in signoffs(doc).items():
        if s is not None and s.on and s.on > now.date():
            out.append(_issue(doc, step, f"{STEP_LABELS[step]}日期 {s.on} 晚于今天（{now.date()}）",
                              "签署日期写实际签署的日期", f"{step}.on"))
    return out


def secrecy_result(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """The secrecy review states its result, and the result allows publication."""
    value = step_value(doc.meta, "secrecy")
    if not isinstance(value, dict):
        return []  # reported by signoffs_complete
    result = str(value.get("result") or "").strip()
    if not result:
        return [_issue(doc, "secrecy", "保密审查缺少结论（secrecy.result）", f"添加“result: {SECRECY_OK}”",
                       "secrecy.result")]
    if result != SECRECY_OK:
        return [_issue(doc, "secrecy", f"保密审查结论为“{result}”，不能公开发布",
                       f"只有结论为“{SECRECY_OK}”的文件才能发布；否则把 status 改回 draft", "secrecy.result")]
    return []


def final_digest_matches(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """The final review's digest binds the approval to the text as it stands now."""
    value = step_value(doc.meta, "review.final")
    s = signoff(doc, "review.final")
    if not isinstance(value, dict) or s is None:
        return []  # reported by signoffs_complete
    recorded = str(value.get("digest") or "").strip()
    if recorded == document_digest(doc.meta, doc.body):
        return []
    fix = f"终审人审阅现在的文本后重新签署：{sign_command(doc, 'review.final', s.by)}"
    if not recorded.startswith("sha256:") or recorded == "sha256:pending":
        message = "终审没有绑定文本摘要（review.final.digest 为空或尚未生成）"
    else:
        message = "终审之后正文或元数据有改动（review.final.digest 与现在的文本不符），须重新终审"
    return [_issue(doc, "review.final", message, fix, "review.final.digest")]


def attachments_approved(doc: Document, vocab: Vocab, now: dt.datetime) -> list[Issue]:
    """The final review binds the attachments too: each one's file is the one whose SHA-256 it
    recorded (the digest covers the recorded values). Needs the files read (``file_sha256``)."""
    out = []
    s = signoff(doc, "review.final")
    for i, att in enumerate(doc.attachments):
        if not att.file_sha256 or s is None:
            continue  # not read here, or missing (reported with the attachments), or no final review yet
        name = f"attachments.{i}.sha256"
        if not att.sha256:
            out.append(Issue(doc.source, att.line, name, f"终审没有记录附件“{att.file}”的 sha256：附件被更换时无法发现",
                             f"重新终审时自动记录：{sign_command(doc, 'review.final', s.by)}", Severity.WARNING))
        elif att.sha256 != att.file_sha256:
            out.append(Issue(doc.source, att.line, name,
                             f"附件“{att.file}”在终审之后被更换（终审记录的 sha256 为 {att.sha256[:12]}…，"
                             f"现在的文件是 {att.file_sha256[:12]}…），须重新终审",
                             f"终审人核对新附件后重新签署，会重新记录附件的 sha256：{sign_command(doc, 'review.final', s.by)}；"
                             "如果是误换，把附件恢复为终审时的文件"))
    return out


RULES: tuple[Rule, ...] = (
    signoffs_complete, signers_on_roster, three_different_reviewers, reviews_in_order, proofreads_in_order,
    signed_before_publication, no_backdating, not_signed_in_future, secrecy_result, final_digest_matches,
    attachments_approved,
)


# The rules that need nothing but a version's own front matter (no roster, no attachment files, no clock):
# the publication history replays them on every committed version (``audit verify`` replays them all).
OWN_RULES: tuple[Rule, ...] = (
    signoffs_complete, three_different_reviewers, reviews_in_order, proofreads_in_order,
    signed_before_publication, no_backdating, secrecy_result,
)


_NO_VOCAB = Vocab({}, {}, {}, {}, {})


def own_refusal(source: str, signoffs: dict, date: dt.datetime | None, rules: tuple[Rule, ...] = OWN_RULES,
                vocab: Vocab = _NO_VOCAB) -> str:
    """Why ``rules`` (:data:`OWN_RULES` unless given) refuse a public version ("" when they do not): the
    first problem's message.

    ``signoffs`` holds the version's ``review``, ``proofread`` and ``secrecy`` entries as parsed;
    ``date``, its 发布日期; ``vocab``, what the rules look up (the history passes the roster of a commit)."""
    doc = Document(source, signoffs, "", 0, {}, status="published", date=date)
    for rule in rules:
        found = rule(doc, vocab, dt.datetime.max)
        if found:
            return found[0].message
    return ""


def plainly_passes(signed: tuple[tuple[str, str], ...], result: str, date: dt.datetime) -> bool:
    """A quick sufficient condition for :data:`OWN_RULES` passing, for the history, which asks on every
    version of every file (the rules take tens of microseconds a version; this, a few).

    ``signed``: (by, on as YYYY-MM-DD) of every step, in the order of :data:`~govportal.vocab.STEPS`;
    ``result``: the secrecy review's. True when every step is signed on a real date, by three different
    reviewers, reviews and proofreads in order, none after the day of ``date``, and the result is 不涉密.
    False says nothing: ask :func:`own_refusal`. A rule added to ``OWN_RULES`` needs its condition here
    (the tests check that whatever passes here passes the rules)."""
    if len(signed) != len(STEPS) or result != SECRECY_OK:
        return False
    day = date.date().isoformat()
    for by, on in signed:
        if not by or on > day or _date(on) is None:
            return False
    (first, on_1), (second, on_2), (final, on_3), (_, one), (_, two), (_, three), _ = signed  # STEPS' order
    return first != second != final != first and on_1 <= on_2 <= on_3 and one <= two <= three


@dataclass(frozen=True)
class Gate:
    """The ordered rule pipeline; rules are looked up by name for reports and tests."""

    rules: tuple[Rule, ...] = RULES

    @property
    def names(self) -> list[str]:
        return [r.__name__ for r in self.rules]

    def check(self, doc: Document, vocab: Vocab, now: dt.datetime, force: bool = False) -> list[Issue]:
        """Every rule on one document; drafts only when ``force`` (what would block publishing it)."""
        if doc.status not in GATED and not force:
            return []
        return [issue for rule in self.rules for issue in rule(doc, vocab, now)]

    def run(self, docs: list[Document], vocab: Vocab, now: dt.datetime) -> list[Issue]:
        return [issue for doc in docs for issue in self.check(doc, vocab, now)]


def scheduled(docs: list[Document], now: dt.datetime) -> list[Issue]:
    """定时发布: public documents dated after ``now``, as information for ``make check``."""
    return [Issue(d.source, d.line("date"), "date", f"定时发布：{d.date:%Y-%m-%d %H:%M} 起公开，此前的构建不包含该文件",
                  "", Severity.INFO)
            for d in docs if d.is_public and d.date is not None and d.date > now]


def publishing_issues(docs: list[Document], vocab: Vocab, content_dir: Path,
                      now: dt.datetime | None = None) -> list[Issue]:
    """The gate and the wording checks over a whole repository: what ``load_repository`` adds."""
    now = now or beijing_now()
    matcher, issues = load_matcher(content_dir)
    issues += Gate().run(docs, vocab, now)
    issues += check_documents(docs, matcher, content_dir)
    return issues
