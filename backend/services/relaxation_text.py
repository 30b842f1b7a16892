"""A stored relaxation told in words, with a suggested action, in English and Simplified Chinese.

One template per (scope, family, side, because); a relaxation no template fits gets a generic
sentence that still names who, what and by how much.

>>> from backend.db.models import PlanRelaxation
>>> r = PlanRelaxation(plan_id=1, metric_code="revenue", family="rank", side="upper",
...     scope="node", org_unit_id=3, node_name="North", limit_value=1.2e8, required=1.296e8,
...     amount=9.6e6, because="goal", reps=40)
>>> print(describe(r, locale="en").message)  # doctest: +NORMALIZE_WHITESPACE
The revenue goal of North is 9.6 M above the sum of its reps’ ceilings (120 M):
40 ceilings gave by 8% each — lower the goal or accept the stretch
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.db.models import PlanRelaxation

Locale = Literal["en", "zh-CN"]

METRIC_NAMES_ZH = {
    "revenue": "销售额",
    "new_customers": "新客户数",
    "conversion_rate": "转化率",
    "collection_rate": "回款率",
    "satisfaction": "客户满意度",
}
INTEGER_METRICS = frozenset({"new_customers"})


@dataclass(frozen=True)
class Sentence:
    """What happened (``situation``) and what to do about it (``action``)."""

    situation: str
    action: str
    locale: Locale

    @property
    def message(self) -> str:
        joint = " — " if self.locale == "en" else "。建议："
        return f"{self.situation}{joint}{self.action}"


# (scope, family, side, because) -> (situation, action); None in the key matches anything.
Key = tuple[str, str, str | None, str | None]
EN: dict[Key, tuple[str, str]] = {
    ("rep", "band", "lower", "rank"): (
        "{who}'s forecast{forecast} is {over_pct} above the {rank} ceiling ({required}): the"
        " target stays at the ceiling, easier than the probability band allows",
        "promotion candidate, or raise the ceiling",
    ),
    ("rep", "band", "upper", "rank"): (
        "{who}'s forecast{forecast} is {under_pct} below the {rank} floor ({required}): the"
        " target stays at the floor, harder than the probability band allows",
        "review the rank (coaching or demotion), or lower the floor",
    ),
    ("rep", "band", None, "lock"): (
        "{who}'s locked {metric} target ({required}) lies outside the probability band"
        " ({limit}) by {share}: the lock holds",
        "review the override",
    ),
    ("rep", "rank", "upper", "lock"): (
        "{who}'s locked {metric} target ({required}) is {share} above the {rank} ceiling"
        " ({limit}): the lock holds",
        "review the override, or raise the ceiling",
    ),
    ("rep", "rank", "lower", "lock"): (
        "{who}'s locked {metric} target ({required}) is {share} below the {rank} floor"
        " ({limit}): the lock holds",
        "review the override, or lower the floor",
    ),
    ("rep", "cap", "upper", "rank"): (
        "{who}'s {rank} floor ({required}) is {share} above the cap on rise over last year's"
        " actual ({limit}): the target rises more than the cap",
        "lower the floor, or raise the cap",
    ),
    ("rep", "cap", "upper", "band"): (
        "{who}'s forecast{forecast} needs a target of at least {required} to stay within the"
        " probability band, {share} above the cap on rise over last year's actual ({limit}):"
        " the target rises more than the cap",
        "raise the cap, or accept an easier target",
    ),
    ("rep", "cap", "upper", "lock"): (
        "{who}'s locked {metric} target ({required}) is {share} above the cap on rise over"
        " last year's actual ({limit}): the lock holds",
        "review the override, or raise the cap",
    ),
    ("node", "rank", "upper", None): (
        "The {metric} goal of {node} is {amount} above the sum of its reps’ ceilings"
        " ({limit}): {reps} ceilings gave by {share} each",
        "lower the goal or accept the stretch",
    ),
    ("node", "rank", "lower", None): (
        "The {metric} goal of {node} is {amount} below the sum of its reps’ floors ({limit}):"
        " {reps} floors gave by {share} each",
        "raise the goal, or lower the floors",
    ),
    ("node", "band", "upper", None): (
        "The {metric} goal of {node} is {amount} above what its reps reach at the lowest"
        " allowed P(achieve) ({limit}): {reps} targets are harder than the band, by {share} each",
        "lower the goal, or accept harder targets (a lower minimum P(achieve))",
    ),
    ("node", "band", "lower", None): (
        "The {metric} goal of {node} is {amount} below what its reps reach at the highest"
        " allowed P(achieve) ({limit}): {reps} targets are easier than the band, by {share} each",
        "raise the goal, or accept easier targets (a higher maximum P(achieve))",
    ),
    ("node", "cap", "upper", None): (
        "The {metric} goal of {node} is {amount} above the sum of the caps on rise over last"
        " year's actuals ({limit}): {reps} targets rise more than the cap, by {share} each",
        "lower the goal, or raise the cap on rise",
    ),
    ("metric", "phasing", None, None): (
        "Monthly {metric} targets moved {amount} off the reps' seasonal phasing to meet the"
        " monthly goals",
        "widen the phasing tolerance, or revisit the monthly goals",
    ),
    ("metric", "monotonicity", None, None): (
        "Mean {metric} targets do not rise with rank everywhere: the rank order gave by {amount}",
        "review the rank baselines, or turn rank monotonicity off",
    ),
}
ZH: dict[Key, tuple[str, str]] = {
    ("rep", "band", "lower", "rank"): (
        "{who}的预测{forecast}比 {rank} 职级上限（{required}）高 {over_pct}：指标保持在上限，"
        "比达成概率区间允许的更容易",
        "可作为晋升候选，或提高上限",
    ),
    ("rep", "band", "upper", "rank"): (
        "{who}的预测{forecast}比 {rank} 职级下限（{required}）低 {under_pct}：指标保持在下限，"
        "比达成概率区间允许的更难",
        "复核职级（辅导或降级），或降低下限",
    ),
    ("rep", "band", None, "lock"): (
        "{who}被锁定的{metric}指标（{required}）超出达成概率区间（{limit}）{share}：锁定保持不变",
        "复核手工调整",
    ),
    ("rep", "rank", "upper", "lock"): (
        "{who}被锁定的{metric}指标（{required}）"
        "比 {rank} 职级上限（{limit}）高 {share}：锁定保持不变",
        "复核手工调整，或提高上限",
    ),
    ("rep", "rank", "lower", "lock"): (
        "{who}被锁定的{metric}指标（{required}）"
        "比 {rank} 职级下限（{limit}）低 {share}：锁定保持不变",
        "复核手工调整，或降低下限",
    ),
    ("rep", "cap", "upper", "rank"): (
        "{who}的 {rank} 职级下限（{required}）比较去年实际的增幅上限（{limit}）高 {share}："
        "指标增幅超过上限",
        "降低下限，或提高增幅上限",
    ),
    ("rep", "cap", "upper", "band"): (
        "{who}的预测{forecast}要求指标至少为 {required} 才能留在达成概率区间内，"
        "比较去年实际的增幅上限（{limit}）高 {share}：指标增幅超过上限",
        "提高增幅上限，或接受更容易的指标",
    ),
    ("rep", "cap", "upper", "lock"): (
        "{who}被锁定的{metric}指标（{required}）比较去年实际的增幅上限（{limit}）高 {share}："
        "锁定保持不变",
        "复核手工调整，或提高增幅上限",
    ),
    ("node", "rank", "upper", None): (
        "{node}的{metric}目标比其销售人员职级上限之和（{limit}）高 {amount}："
        "{reps} 个上限各放宽 {share}",
        "降低目标，或接受这一挑战",
    ),
    ("node", "rank", "lower", None): (
        "{node}的{metric}目标比其销售人员职级下限之和（{limit}）低 {amount}："
        "{reps} 个下限各放宽 {share}",
        "提高目标，或降低下限",
    ),
    ("node", "band", "upper", None): (
        "{node}的{metric}目标比其销售人员在最低允许达成概率下可达到的总和（{limit}）高 {amount}："
        "{reps} 个指标比概率区间更难，各 {share}",
        "降低目标，或接受更难的指标（降低最低达成概率）",
    ),
    ("node", "band", "lower", None): (
        "{node}的{metric}目标比其销售人员在最高允许达成概率下可达到的总和（{limit}）低 {amount}："
        "{reps} 个指标比概率区间更容易，各 {share}",
        "提高目标，或接受更容易的指标（提高最高达成概率）",
    ),
    ("node", "cap", "upper", None): (
        "{node}的{metric}目标比较去年实际的增幅上限之和（{limit}）高 {amount}："
        "{reps} 个指标增幅超过上限，各 {share}",
        "降低目标，或提高增幅上限",
    ),
    ("metric", "phasing", None, None): (
        "为满足月度目标，{metric}月度指标共偏离销售人员的季节性分解 {amount}",
        "放宽月度分解容差，或调整月度目标",
    ),
    ("metric", "monotonicity", None, None): (
        "{metric}平均指标并非处处随职级上升：职级顺序放宽了 {amount}",
        "复核职级基准，或关闭按职级单调",
    ),
}
GENERIC = {
    "en": (
        "{who}: the {family} constraint on {metric} gave by {amount}{share_paren} because of"
        " {because}",
        "review the plan settings",
    ),
    "zh-CN": (
        "{who}：{metric}的{family}约束因{because}放宽了 {amount}{share_paren}",
        "复核计划设置",
    ),
}
FAMILY_ZH = {
    "rank": "职级上下限",
    "band": "达成概率区间",
    "cap": "增幅上限",
    "phasing": "月度分解",
    "monotonicity": "职级单调",
    "goal": "目标",
    "lock": "锁定",
}


def describe(r: PlanRelaxation, *, locale: Locale, metric_name: str | None = None) -> Sentence:
    """The relaxation ``r`` as a sentence in ``locale``; ``metric_name`` is the English name."""
    table = EN if locale == "en" else ZH
    template = _find(table, r) or GENERIC[locale]
    words = _words(r, locale=locale, metric_name=metric_name)
    situation, action = (part.format(**words) for part in template)
    if locale == "en":
        situation = situation[:1].upper() + situation[1:]
    return Sentence(situation, action, locale)


def _find(table: dict[Key, tuple[str, str]], r: PlanRelaxation) -> tuple[str, str] | None:
    scopes = (r.scope, "metric") if r.family in ("phasing", "monotonicity") else (r.scope,)
    for scope in scopes:
        for side in (r.side, None):
            for because in (r.because, None):
                found = table.get((scope, r.family, side, because))
                if found:
                    return found
    return None


def _words(r: PlanRelaxation, *, locale: Locale, metric_name: str | None) -> dict[str, str]:
    zh = locale == "zh-CN"
    integer = r.metric_code in INTEGER_METRICS

    def amount(x: float) -> str:
        return format_amount(x, locale=locale, integer=integer)

    if zh:
        metric = METRIC_NAMES_ZH.get(r.metric_code, metric_name or r.metric_code)
    else:
        metric = (metric_name or r.metric_code.replace("_", " ")).lower()
    who = r.rep_name or (f"销售 #{r.rep_id}" if zh else f"rep #{r.rep_id}")
    node = r.node_name or (f"组织 #{r.org_unit_id}" if zh else f"unit #{r.org_unit_id}")
    if r.scope == "metric":
        who = metric
    elif r.scope == "node":
        who = node
    forecast = ""
    if r.forecast is not None:
        forecast = f"（{amount(r.forecast)}）" if zh else f" ({amount(r.forecast)})"
    share = _pct(r.amount / abs(r.limit_value) if r.limit_value else None)
    return {
        "who": who,
        "node": node,
        "metric": metric,
        "rank": r.rank_code or ("该" if zh else "rank"),
        "forecast": forecast,
        "limit": amount(r.limit_value),
        "required": amount(r.required),
        "amount": amount(r.amount),
        "share": share,
        "over_pct": _pct(_ratio(r.forecast, r.required, r.amount, r.limit_value, sign=1)),
        "under_pct": _pct(_ratio(r.forecast, r.required, r.amount, r.limit_value, sign=-1)),
        "share_paren": (f"（{share}）" if zh else f" ({share})") if r.limit_value else "",
        "reps": str(r.reps),
        "family": FAMILY_ZH.get(r.family, r.family) if zh else r.family,
        "because": FAMILY_ZH.get(r.because, r.because) if zh else r.because,
    }


def _ratio(
    forecast: float | None, required: float, amount: float, limit: float, *, sign: int
) -> float | None:
    """How far the forecast is beyond the bound that held; the band's distance without one."""
    if forecast is not None and required > 0 and sign * (forecast - required) > 0:
        return abs(forecast / required - 1.0)
    return amount / abs(required) if required else (amount / abs(limit) if limit else None)


def _pct(x: float | None) -> str:
    if x is None:
        return "∞"
    return f"{x * 100:.0f}%" if x >= 0.01 else f"{x * 100:.1f}%"


def format_amount(x: float, *, locale: Locale, integer: bool = False) -> str:
    """Compact: ``6.2 M`` / ``620万``; counts as whole numbers.

    >>> format_amount(6.2e6, locale="en"), format_amount(6.2e6, locale="zh-CN")
    ('6.2 M', '620万')
    """
    sign, x = ("-" if x < 0 else ""), abs(x)
    if integer or x < 10_000:
        return f"{sign}{x:,.0f}"
    if locale == "zh-CN":
        unit, scale = ("亿", 1e8) if x >= 1e8 else ("万", 1e4)
        return f"{sign}{_digits(x / scale)}{unit}"
    unit, scale = ("B", 1e9) if x >= 1e9 else ("M", 1e6) if x >= 1e6 else ("K", 1e3)
    return f"{sign}{_digits(x / scale)} {unit}"


def _digits(v: float) -> str:
    """Three significant digits at most, no trailing zeros: 6.2, 12.3, 620, 1,296."""
    text = f"{v:,.1f}" if v < 100 else f"{v:,.0f}"
    return text[:-2] if text.endswith(".0") else text
