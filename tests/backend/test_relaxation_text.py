"""Every relaxation reads as a sentence with a suggested action, in English and in Chinese."""

from __future__ import annotations

import re

import pytest

from backend.db.models import PlanRelaxation
from backend.services.relaxation_text import EN, ZH, describe, format_amount


def relaxation(scope: str, family: str, side: str | None, because: str | None) -> PlanRelaxation:
    return PlanRelaxation(
        plan_id=1, metric_code="revenue", family=family, side=side, scope=scope,
        rep_id=7 if scope == "rep" else None, org_unit_id=3 if scope == "node" else None,
        rep_name="Lu Yu", rank_code="S6", forecast=6.2e6, node_name="North branch",
        limit_value=5.5e6, required=6.0e6, amount=5e5, because=because or "goal", reps=4,
    )  # fmt: skip


def test_every_english_template_has_a_chinese_one() -> None:
    assert set(EN) == set(ZH)


@pytest.mark.parametrize("key", sorted(EN, key=str))
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_each_template_names_who_by_how_much_and_what_to_do(
    key: tuple[str, str, str | None, str | None], locale: str
) -> None:
    scope, family, side, because = key
    sentence = describe(relaxation(scope, family, side, because), locale=locale)  # type: ignore[arg-type]
    assert "{" not in sentence.message and sentence.action
    who = {"rep": "Lu Yu", "node": "North branch"}.get(
        scope, "销售额" if locale != "en" else "revenue"
    )
    assert who in sentence.situation
    assert re.search(r"\d+(\.\d+)?(%| K| M|万)", sentence.message), sentence.message


def test_the_rep_above_the_ceiling_is_a_promotion_candidate() -> None:
    r = relaxation("rep", "band", "lower", "rank")
    r.limit_value, r.required, r.amount = 5.9e6, 5.5e6, 4e5
    en = describe(r, locale="en")
    assert en.message == (
        "Lu Yu's forecast (6.2 M) is 13% above the S6 ceiling (5.5 M): the target stays at the"
        " ceiling, easier than the probability band allows — promotion candidate, or raise the"
        " ceiling"
    )
    zh = describe(r, locale="zh-CN")
    assert zh.message.startswith("Lu Yu的预测（620万）比 S6 职级上限（550万）高 13%")
    assert zh.message.endswith("。建议：可作为晋升候选，或提高上限")


def test_a_relaxation_no_template_fits_still_reads_with_who_and_how_much() -> None:
    r = relaxation("rep", "cap", "lower", "lock")
    assert describe(r, locale="en").message.startswith("Lu Yu: the cap constraint on revenue")
    assert describe(r, locale="zh-CN").message.startswith("Lu Yu：销售额的增幅上限约束")


def test_amounts_are_compact_and_counts_whole() -> None:
    assert format_amount(9.6e6, locale="en") == "9.6 M"
    assert format_amount(1.296e8, locale="zh-CN") == "1.3亿"
    assert format_amount(45_000, locale="zh-CN") == "4.5万"
    assert format_amount(12.4, locale="en", integer=True) == "12"
    assert format_amount(-2_500_000, locale="en") == "-2.5 M"
