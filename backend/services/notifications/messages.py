"""The catalogue of notification messages, each in every language we speak (en, zh-CN).

A notification stores its message key and parameters, never text: it is rendered in the
reader's language when read or sent, so a user who switches language reads the old ones in
the new one. Every key has a subject and a body in every locale, with the same parameters (a
test checks it), and ``check_params`` refuses a notification missing one before it is stored.

>>> render(MessageKey.ALERT_OPENED, {"rule": "Behind pace", "rep": "Li Lei",
...        "severity": "warning", "actor": "system"}, "zh-CN").subject
'预警：Li Lei 触发「Behind pace」'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from string import Formatter

LOCALES = ("en", "zh-CN")
DEFAULT_LOCALE = "en"

ParamValue = str | int | float


class MessageKey(StrEnum):
    ALERT_OPENED = "alert_opened"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    ALERT_RESOLVED = "alert_resolved"
    DAILY_DIGEST = "daily_digest"
    # Adjustment requests (#14)
    ADJUSTMENT_REQUESTED = "adjustment_requested"
    ADJUSTMENT_APPROVED = "adjustment_approved"
    ADJUSTMENT_REFUSED = "adjustment_refused"
    TARGET_ADJUSTED = "target_adjusted"
    # Feedback on targets (#14)
    FEEDBACK_GIVEN = "feedback_given"
    FEEDBACK_RESPONDED = "feedback_responded"


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


CATALOGUE: dict[MessageKey, dict[str, Template]] = {
    MessageKey.ALERT_OPENED: {
        "en": Template(
            "Alert: {rule} for {rep}",
            "The alert rule “{rule}” fired for {rep} (severity: {severity}).",
        ),
        "zh-CN": Template(
            "预警：{rep} 触发「{rule}」",
            "{rep} 触发了预警规则「{rule}」（级别：{severity}）。",
        ),
    },
    MessageKey.ALERT_ACKNOWLEDGED: {
        "en": Template(
            "Alert acknowledged: {rule} for {rep}",
            "{actor} acknowledged the alert “{rule}” for {rep} (severity: {severity}).",
        ),
        "zh-CN": Template(
            "预警已确认：{rep}「{rule}」",
            "{actor} 已确认 {rep} 的预警「{rule}」（级别：{severity}）。",
        ),
    },
    MessageKey.ALERT_RESOLVED: {
        "en": Template(
            "Alert resolved: {rule} for {rep}",
            "{actor} resolved the alert “{rule}” for {rep} (severity: {severity}).",
        ),
        "zh-CN": Template(
            "预警已解决：{rep}「{rule}」",
            "{actor} 已解决 {rep} 的预警「{rule}」（级别：{severity}）。",
        ),
    },
    # Adjustment requests (#14): asked, decided, and a teammate's target moved by one.
    MessageKey.ADJUSTMENT_REQUESTED: {
        "en": Template(
            "Target change requested: {rep}, {metric}",
            "{actor} asks to change the {metric} target of {rep} in {plan}. Open the"
            " adjustment requests to see the proposal and decide.",
        ),
        "zh-CN": Template(
            "目标调整申请：{rep}（{metric}）",
            "{actor} 申请调整 {rep} 在「{plan}」中的 {metric} 目标。"
            "请在调整申请中查看系统建议并审批。",
        ),
    },
    MessageKey.ADJUSTMENT_APPROVED: {
        "en": Template(
            "Target change approved: {rep}, {metric}",
            "{actor} approved the change of the {metric} target of {rep} in {plan}.",
        ),
        "zh-CN": Template(
            "目标调整已批准：{rep}（{metric}）",
            "{actor} 已批准 {rep} 在「{plan}」中的 {metric} 目标调整。",
        ),
    },
    MessageKey.ADJUSTMENT_REFUSED: {
        "en": Template(
            "Target change refused: {rep}, {metric}",
            "{actor} refused the change of the {metric} target of {rep} in {plan}.",
        ),
        "zh-CN": Template(
            "目标调整被拒绝：{rep}（{metric}）",
            "{actor} 拒绝了 {rep} 在「{plan}」中的 {metric} 目标调整。",
        ),
    },
    MessageKey.TARGET_ADJUSTED: {
        "en": Template(
            "Your {metric} target changed in {plan}",
            "Your {metric} target in {plan} changed: the team absorbs a change of {rep}'s"
            " target, approved by {actor}. Your target history shows before and after.",
        ),
        "zh-CN": Template(
            "您在「{plan}」中的 {metric} 目标已调整",
            "团队分摊了 {rep} 的目标调整（{actor} 批准），您在「{plan}」中的 {metric}"
            " 目标随之变化。目标历史中可查看调整前后。",
        ),
    },
    MessageKey.DAILY_DIGEST: {
        "en": Template(
            "Quotient: {count} notifications on {day}",
            "Your notifications of {day} (UTC):\n\n{items}",
        ),
        "zh-CN": Template(
            "Quotient：{day} 共 {count} 条通知",
            "您在 {day}（UTC）的通知：\n\n{items}",
        ),
    },
    # Feedback on targets (#14): a rep finds a target too high or unreachable; a manager
    # responds to someone's feedback.
    MessageKey.FEEDBACK_GIVEN: {
        "en": Template(
            "Feedback: {rep} rates their {metric} target {rating}",
            "{rep} rated their {metric} target in {plan} as {rating}.",
        ),
        "zh-CN": Template(
            "目标反馈：{rep} 认为 {metric} 目标{rating}",
            "{rep} 对自己在「{plan}」中的 {metric} 目标的评价：{rating}。",
        ),
    },
    MessageKey.FEEDBACK_RESPONDED: {
        "en": Template(
            "{actor} responded to your feedback on {rep}'s {metric} target",
            "{actor} responded to your feedback on {rep}'s {metric} target in {plan}:"
            "\n\n{response}",
        ),
        "zh-CN": Template(
            "{actor} 回复了您对 {rep} 的 {metric} 目标的反馈",
            "{actor} 回复了您对 {rep} 在「{plan}」中的 {metric} 目标的反馈：\n\n{response}",
        ),
    },
}

# Parameter values that are words of ours, not names: translated with the message.
TERMS: dict[str, dict[str, dict[str, str]]] = {
    "severity": {
        "en": {"info": "info", "warning": "warning", "critical": "critical"},
        "zh-CN": {"info": "提示", "warning": "警告", "critical": "严重"},
    },
    "rating": {  # feedback on targets (#14)
        "en": {
            "too_low": "too low",
            "fair": "fair",
            "too_high": "too high",
            "unreachable": "unreachable",
        },
        "zh-CN": {"too_low": "偏低", "fair": "合理", "too_high": "偏高", "unreachable": "无法达成"},
    },
}


def params_of(key: MessageKey) -> frozenset[str]:
    """The parameters a message needs (those its English subject and body name)."""
    template = CATALOGUE[key][DEFAULT_LOCALE]
    return _fields(template.subject) | _fields(template.body)


def _fields(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in Formatter().parse(text) if name)


def check_params(key: MessageKey, params: Mapping[str, ParamValue]) -> None:
    """Refuse parameters that leave a placeholder of the message empty."""
    missing = params_of(key) - set(params)
    if missing:
        raise ValueError(f"message {key.value} needs {sorted(missing)}")


def locale_of(preferred: str | None) -> str:
    """The user's locale if we speak it, else English."""
    return preferred if preferred in LOCALES else DEFAULT_LOCALE


def render(key: MessageKey | str, params: Mapping[str, ParamValue], locale: str) -> Rendered:
    """The message in ``locale`` (English when we do not speak it)."""
    language = locale_of(locale)
    template = CATALOGUE[MessageKey(key)][language]
    values = _Values({name: _term(name, value, language) for name, value in params.items()})
    return Rendered(
        subject=template.subject.format_map(values), body=template.body.format_map(values)
    )


class _Values(dict[str, str]):
    """A parameter the message gained after the notification was stored reads as "…"."""

    def __missing__(self, key: str) -> str:
        return "…"


def _term(name: str, value: ParamValue, language: str) -> str:
    words = TERMS.get(name, {}).get(language, {})
    return words.get(str(value), str(value))
