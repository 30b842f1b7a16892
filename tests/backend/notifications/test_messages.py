"""The message catalogue: every message in every language, with the same parameters."""

from __future__ import annotations

import pytest

from backend.services.notifications.messages import (
    CATALOGUE,
    LOCALES,
    MessageKey,
    _fields,
    check_params,
    params_of,
    render,
)

ALERT = {"rule": "Behind pace", "rep": "Li Lei", "severity": "critical", "actor": "Wang"}


@pytest.mark.parametrize("key", list(MessageKey))
def test_every_message_has_a_subject_and_body_in_every_locale_with_the_same_parameters(key):
    assert set(CATALOGUE[key]) == set(LOCALES)
    for locale in LOCALES:
        template = CATALOGUE[key][locale]
        assert template.subject.strip() and template.body.strip()
        assert _fields(template.subject) | _fields(template.body) == params_of(key), locale


def test_an_alert_message_renders_in_english_and_in_chinese_with_its_terms_translated():
    english = render(MessageKey.ALERT_ACKNOWLEDGED, ALERT, "en")
    chinese = render(MessageKey.ALERT_ACKNOWLEDGED, ALERT, "zh-CN")
    assert english.subject == "Alert acknowledged: Behind pace for Li Lei"
    assert (
        english.body == "Wang acknowledged the alert “Behind pace” for Li Lei (severity: critical)."
    )
    assert chinese.subject == "预警已确认：Li Lei「Behind pace」"
    assert chinese.body == "Wang 已确认 Li Lei 的预警「Behind pace」（级别：严重）。"


def test_a_locale_we_do_not_speak_reads_in_english():
    assert render(MessageKey.ALERT_OPENED, ALERT, "fr").subject == "Alert: Behind pace for Li Lei"


def test_a_notification_missing_a_parameter_is_refused_before_it_is_stored():
    with pytest.raises(ValueError, match=r"needs \['actor'\]"):
        check_params(MessageKey.ALERT_RESOLVED, {"rule": "r", "rep": "p", "severity": "info"})


def test_a_parameter_the_message_gained_later_reads_as_an_ellipsis():
    assert render(MessageKey.ALERT_OPENED, {"rule": "r", "rep": "p"}, "en").body.endswith(
        "(severity: …)."
    )
