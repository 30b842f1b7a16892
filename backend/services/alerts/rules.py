"""Alert rules as data: typed parameters per kind, versions, scope.

A rule is never edited in place: a change adds a version with the same ``key`` and retires
the one before, so an alert always names the exact thresholds that raised it and the history
of a rule can be read back. A rule covers an org subtree (``scope_org_id``; None: the whole
company); who defines it must see that whole subtree, and a company-wide rule needs a
company-wide caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, cast

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AlertRule, Metric, OrgUnit
from backend.services import audit
from backend.services.access import Action, Principal
from backend.services.errors import (
    DomainError,
    ErrorCode,
    FieldProblem,
    Problems,
    not_found,
    stale,
)
from backend.services.text import clean_name
from solver.tracking import RULES, Rule, RuleKind

Grain = Literal["week", "month"]
Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "critical")
KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


RULES_WITH_GRAIN = ("behind_pace",)


@dataclass(frozen=True)
class RuleSpec:
    """A stored rule's thresholds (``solver.tracking``'s rule) and, for a pace rule, whether
    it reads the weekly or the monthly pace."""

    rule: Rule
    grain: Grain = "week"

    def stored(self) -> dict[str, Any]:
        values = asdict(self.rule)
        return values | {"grain": self.grain} if self.rule.kind in RULES_WITH_GRAIN else values


# (low, high) accepted for each numeric parameter: outside, the rule could never or always fire.
RANGES: dict[str, tuple[float, float]] = {
    "periods": (1, 52),
    "threshold": (0.05, 2.0),
    "k": (0.25, 5.0),
    "min_peers": (3, 1000),
    "below": (0.01, 1.5),
    "days": (1, 365),
}


def params_of(rule: AlertRule) -> RuleSpec:
    """The typed parameters of a stored rule (validated when it was saved)."""
    values = dict(rule.params)
    grain = cast(Grain, values.pop("grain", "week"))
    return RuleSpec(RULES[cast(RuleKind, rule.kind)](**values), grain)


def parse_params(
    kind: str, values: dict[str, Any], problems: Problems, field: str = "params"
) -> RuleSpec | None:
    """Typed parameters for ``kind`` from ``values``; every problem named by its field."""
    if kind not in RULES:
        problems.invalid("kind", f"unknown rule kind {kind!r}; one of {', '.join(RULES)}")
        return None
    cls = RULES[kind]
    defaults = asdict(cls()) | ({"grain": "week"} if kind in RULES_WITH_GRAIN else {})
    unknown = sorted(set(values) - set(defaults))
    for name in unknown:
        problems.invalid(f"{field}.{name}", f"{kind} has no parameter {name!r}")
    merged = defaults | {k: v for k, v in values.items() if k in defaults}
    for name, value in merged.items():
        _check_value(name, value, type(defaults[name]), problems, f"{field}.{name}")
    if unknown or any(p.field and p.field.startswith(field) for p in problems.items):
        return None
    grain = merged.pop("grain", "week")
    return RuleSpec(cls(**merged), grain)


def _check_value(name: str, value: Any, kind: type, problems: Problems, field: str) -> None:
    if name == "grain":
        if value not in ("week", "month"):
            problems.invalid(field, "grain is 'week' or 'month'")
        return
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric or (kind is int and not float(value).is_integer()) or value != value:
        problems.invalid(field, f"{name} must be a {'whole ' if kind is int else ''}number")
        return
    low, high = RANGES[name]
    if not low <= value <= high:
        problems.invalid(field, f"{name} must be between {low:g} and {high:g}")


@dataclass(frozen=True)
class RuleInput:
    """What a caller sets on a rule (a new one, or the next version of one)."""

    name: str
    kind: str
    metric: str
    params: dict[str, Any]
    scope_org_id: int | None = None
    severity: str = "warning"
    active: bool = True


async def _validated(
    session: AsyncSession, principal: Principal, data: RuleInput
) -> tuple[str, RuleSpec, int, OrgUnit | None]:
    problems = Problems()
    name = clean_name(data.name, field="name", problems=problems, max_length=200)
    params = parse_params(data.kind, data.params, problems)
    if data.severity not in SEVERITIES:
        problems.invalid("severity", f"severity is one of {', '.join(SEVERITIES)}")
    metric = (await session.exec(select(Metric).where(Metric.code == data.metric))).first()
    if metric is None or metric.id is None:
        problems.invalid("metric", f"unknown metric {data.metric!r}")
    elif metric.kind != "additive":
        problems.invalid("metric", f"{data.metric} is a ratio; alerts follow additive metrics")
    unit = await _scope_unit(session, principal, data.scope_org_id, problems)
    problems.raise_if_any()
    assert params is not None and metric is not None and metric.id is not None
    return name, params, metric.id, unit


async def _scope_unit(
    session: AsyncSession, principal: Principal, unit_id: int | None, problems: Problems
) -> OrgUnit | None:
    """The rule's subtree; the caller must see all of it (company-wide: a company-wide caller)."""
    if unit_id is None:
        if principal.scope.org_path is not None or principal.scope.rep_id is not None:
            problems.items.append(_outside("a company-wide rule needs a company-wide scope"))
        return None
    unit = await session.get(OrgUnit, unit_id)
    if unit is None or not principal.scope.covers_path(unit.path):
        problems.invalid("scopeOrgId", f"org unit {unit_id} does not exist")
        return None
    if principal.scope.rep_id is not None:
        problems.items.append(_outside("a rep cannot define rules"))
    return unit


def _outside(message: str) -> FieldProblem:
    return FieldProblem(ErrorCode.FORBIDDEN, message, "scopeOrgId")


def _require(principal: Principal) -> None:
    if Action.MANAGE_ALERT_RULES not in principal.actions:
        raise DomainError.single(ErrorCode.FORBIDDEN, "your role may not manage alert rules")


def _snapshot(rule: AlertRule) -> dict[str, Any]:
    return {
        "key": rule.key,
        "version": rule.version,
        "name": rule.name,
        "kind": rule.kind,
        "metricId": rule.metric_id,
        "scopeOrgId": rule.scope_org_id,
        "params": dict(rule.params),
        "severity": rule.severity,
        "active": rule.active,
    }


async def _audit(
    session: AsyncSession,
    principal: Principal,
    rule: AlertRule,
    before: AlertRule | None,
    unit: OrgUnit | None,
) -> None:
    await audit.record(
        session,
        actor=principal.username,
        action="alert_rule",
        entity="alert_rule",
        entity_id=rule.key,
        before=_snapshot(before) if before else None,
        after=_snapshot(rule),
        org_path=unit.path if unit else None,
    )


async def create_rule(
    session: AsyncSession, *, principal: Principal, key: str, data: RuleInput
) -> AlertRule:
    """Version 1 of a new rule under ``key`` (lower-case letters, digits, ``_`` and ``-``)."""
    _require(principal)
    if not KEY.fullmatch(key):
        raise DomainError.single(
            ErrorCode.INVALID, "a key is 1-64 of a-z, 0-9, '_' and '-', starting a-z or 0-9", "key"
        )
    if (await session.exec(select(AlertRule).where(AlertRule.key == key))).first():
        raise DomainError.single(ErrorCode.CONFLICT, f"a rule {key!r} exists already", "key")
    name, params, metric_id, unit = await _validated(session, principal, data)
    rule = _row(key, 1, name, data, params, metric_id, principal)
    session.add(rule)
    await session.flush()
    await _audit(session, principal, rule, None, unit)
    return rule


def _row(
    key: str,
    version: int,
    name: str,
    data: RuleInput,
    params: RuleSpec,
    metric_id: int,
    principal: Principal,
) -> AlertRule:
    return AlertRule(
        key=key,
        version=version,
        name=name,
        kind=data.kind,
        metric_id=metric_id,
        scope_org_id=data.scope_org_id,
        params=params.stored(),
        severity=data.severity,
        active=data.active,
        created_by=principal.username,
    )


async def current(session: AsyncSession, key: str) -> AlertRule | None:
    """The newest version of rule ``key``."""
    query = select(AlertRule).where(AlertRule.key == key).order_by(col(AlertRule.version).desc())
    return (await session.exec(query.limit(1))).first()


async def update_rule(
    session: AsyncSession,
    *,
    principal: Principal,
    key: str,
    expected_version: int,
    data: RuleInput,
) -> AlertRule:
    """The next version of ``key`` (the one before is retired). The caller must see the
    scope of both the old and the new version."""
    _require(principal)
    before = await current(session, key)
    path = await _path_of(session, before) if before else None
    if before is None or not _visible(principal, before, path):
        raise not_found("alert rule", key, "key")
    if before.version != expected_version:
        raise stale("alert rule", before.version)
    if not _covers_all(principal, before, path):
        raise DomainError.single(
            ErrorCode.FORBIDDEN, f"rule {key!r} covers more than your scope", "key"
        )
    name, params, metric_id, unit = await _validated(session, principal, data)
    before.active = False
    rule = _row(key, before.version + 1, name, data, params, metric_id, principal)
    session.add(rule)
    await session.flush()
    await _audit(session, principal, rule, before, unit)
    return rule


async def _path_of(session: AsyncSession, rule: AlertRule) -> str | None:
    if rule.scope_org_id is None:
        return None
    unit = await session.get(OrgUnit, rule.scope_org_id)
    return unit.path if unit else None


def _covers_all(principal: Principal, rule: AlertRule, path: str | None) -> bool:
    """Whether the caller sees the rule's whole subtree (only then may they change it)."""
    if principal.scope.rep_id is not None:
        return False
    if path is None:
        return principal.scope.org_path is None
    return principal.scope.covers_path(path)


def _visible(principal: Principal, rule: AlertRule, path: str | None) -> bool:
    """A rule is seen by those inside its subtree and those above it (a company-wide rule by
    everyone who handles alerts: it applies to them)."""
    scope = principal.scope
    if scope.nothing:
        return False
    if path is None or scope.org_path is None:
        return True
    return path.startswith(scope.org_path) or scope.org_path.startswith(path)


async def list_rules(
    session: AsyncSession, *, principal: Principal, include_retired: bool = False
) -> Sequence[AlertRule]:
    """The rules the caller sees: the current version of each, or every version."""
    query = select(AlertRule).order_by(col(AlertRule.key), col(AlertRule.version))
    rows = list((await session.exec(query)).all())
    paths = {
        u.id: u.path
        for u in (
            await session.exec(
                select(OrgUnit).where(
                    col(OrgUnit.id).in_(
                        {r.scope_org_id for r in rows if r.scope_org_id is not None}
                    )
                )
            )
        ).all()
    }
    newest = {r.key: r.version for r in rows}
    return [
        r
        for r in rows
        if (include_retired or r.version == newest[r.key])
        and _visible(principal, r, paths.get(r.scope_org_id) if r.scope_org_id else None)
    ]


async def active_rules(session: AsyncSession) -> Sequence[AlertRule]:
    """Every rule in force (the evaluator's view: no caller, no scope)."""
    query = select(AlertRule).where(col(AlertRule.active)).order_by(col(AlertRule.key))
    return (await session.exec(query)).all()


DEFAULT_RULES: tuple[tuple[str, str, str, dict[str, Any], str], ...] = (
    ("behind-pace-3w", "Behind pace three weeks in a row", "behind_pace", {}, "warning"),
    ("peer-gap", "Far below same-rank peers", "peer_gap", {}, "warning"),
    ("low-probability", "Unlikely to reach target", "low_probability", {}, "critical"),
    ("low-projection", "Projected below 80% of target", "low_projection", {}, "warning"),
    ("inactive-3w", "No sale for three weeks", "inactivity", {}, "info"),
)


async def ensure_default_rules(session: AsyncSession, *, metric_id: int) -> list[AlertRule]:
    """The five default company-wide rules on ``metric_id`` (revenue), added once."""
    added = []
    for key, name, kind, params, severity in DEFAULT_RULES:
        if await current(session, key) is not None:
            continue
        typed = RuleSpec(RULES[cast(RuleKind, kind)](**params))
        rule = AlertRule(
            key=key,
            name=name,
            kind=kind,
            metric_id=metric_id,
            params=typed.stored(),
            severity=severity,
        )
        session.add(rule)
        added.append(rule)
    await session.flush()
    return added
