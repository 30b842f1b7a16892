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
}

# Parameter values that are words of ours, not names: translated with the message.
TERMS: dict[str, dict[str, dict[str, str]]] = {
    "severity": {
        "en": {"info": "info", "warning": "warning", "critical": "critical"},
        "zh-CN": {"info": "提示", "warning": "警告", "critical": "严重"},
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
