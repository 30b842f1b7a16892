"""Plan, goal, target and summary types of the planning API."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from backend.db.models import AuditEntry as AuditEntryModel
from backend.db.models import Plan as PlanModel
from backend.db.models.planning import PlanComment as PlanCommentModel
from backend.graphql.adjustments.types import AdjustmentPolicy
from backend.graphql.context import Info
from backend.graphql.types.common import UserError
from backend.graphql.types.relaxations import PlanRelaxation
from backend.services.planning import goals as goal_service
from backend.services.planning import lifecycle as lifecycle_service
from backend.services.planning import outcome as outcome_service
from backend.services.planning import summaries as summary_service
from backend.services.planning.common import period_months
from solver.planning import PlanSettings


@strawberry.enum(description="Where a plan is in its lifecycle.")
class PlanStatus(Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ACTIVE = "active"
    CLOSED = "closed"


@strawberry.enum(description="How the goal is shared out before the constraints apply.")
class Strategy(Enum):
    EQUAL_DIFFICULTY = "equal_difficulty"
    EQUAL = "equal"
    BY_ABILITY = "by_ability"
    BY_POTENTIAL = "by_potential"


@strawberry.enum(description="The length of a plan's period.")
class PeriodKind(Enum):
    YEAR = "year"
    QUARTER = "quarter"


@strawberry.enum(description="Where mean targets must not fall as the rank rises.")
class Monotonicity(Enum):
    NONE = "none"
    TEAM = "team"
    OVERALL = "overall"


@strawberry.type(description="Constraint settings of a plan.")
class PlanConstraints:
    p_min: float = strawberry.field(description="Lowest achievement probability of a target.")
    p_max: float = strawberry.field(description="Highest achievement probability of a target.")
    max_rise: float | None = strawberry.field(
        description="Largest rise over last year's actual (0.6 = +60%); null = no cap."
    )
    phasing_tolerance: float = strawberry.field(
        description="How far a month may move off the rep's seasonal phasing (fraction)."
    )
    monotonicity: Monotonicity = strawberry.field(
        description="Mean targets never fall with rank: nowhere, per team or overall."
    )
    rank_bounds: bool = strawberry.field(
        description="Apply the rank floors and ceilings (baseline x multipliers x months)."
    )
    rank_step: float = strawberry.field(
        description="Equal-difficulty stretch per rank level (probability points)."
    )
    strict: bool = strawberry.field(
        description="Refuse to generate when a soft constraint (rank bounds, probability band,"
        " cap, phasing, monotonicity) conflicts, instead of relaxing it and listing what gave."
    )

    @classmethod
    def from_settings(cls, s: PlanSettings) -> PlanConstraints:
        return cls(
            p_min=s.p_min,
            p_max=s.p_max,
            max_rise=s.max_rise,
            phasing_tolerance=s.phasing_tolerance,
            monotonicity=Monotonicity(s.monotonicity),
            rank_bounds=s.rank_bounds,
            rank_step=s.rank_step,
            strict=s.strict,
        )


@strawberry.input(description="Constraint settings; omitted fields keep their defaults.")
class PlanConstraintsInput:
    p_min: float = strawberry.field(default=0.05, description="Lowest achievement probability.")
    p_max: float = strawberry.field(default=0.98, description="Highest achievement probability.")
    max_rise: float | None = strawberry.field(
        default=0.6, description="Largest rise over last year's actual; null = no cap."
    )
    phasing_tolerance: float = strawberry.field(
        default=0.0, description="Monthly phasing tolerance (fraction)."
    )
    monotonicity: Monotonicity = strawberry.field(
        default=Monotonicity.NONE, description="Rank monotonicity of mean targets."
    )
    rank_bounds: bool = strawberry.field(default=True, description="Apply rank floors/ceilings.")
    rank_step: float = strawberry.field(
        default=0.0, description="Equal-difficulty stretch per rank level."
    )
    strict: bool = strawberry.field(
        default=False,
        description="Refuse instead of relaxing soft constraints that conflict (default false:"
        " relax them in priority order and list what gave).",
    )

    def to_settings(self, strategy: Strategy) -> PlanSettings:
        return PlanSettings(
            strategy=strategy.value,
            p_min=self.p_min,
            p_max=self.p_max,
            max_rise=self.max_rise,
            phasing_tolerance=self.phasing_tolerance,
            monotonicity=self.monotonicity.value,
            rank_bounds=self.rank_bounds,
            rank_step=self.rank_step,
            strict=self.strict,
        )


@strawberry.input(description="A goal for one additive metric at one org unit of the scope.")
class GoalInput:
    metric_code: str = strawberry.field(description="An additive metric, e.g. `revenue`.")
    value: float = strawberry.field(description="The goal over the whole period.")
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="The unit; null = the plan's scope."
    )


@strawberry.type(description="A plan's goal for one metric at one org unit.")
class PlanGoal:
    metric_code: str = strawberry.field(description="The metric.")
    org_unit_id: strawberry.ID = strawberry.field(description="The org unit.")
    value: float = strawberry.field(description="The goal over the period.")
    source: str = strawberry.field(
        description="`set` by a planner, or `derived` from the generated targets (the sum)."
    )
    is_scope: bool = strawberry.field(description="The goal of the plan's whole scope.")
    last_year_actual: float | None = strawberry.field(
        description="Actual of the same months a year earlier (scope goal only)."
    )
    suggested: float | None = strawberry.field(
        description="Top-down suggestion: last year's actual x (1 + growth rate)."
    )
    bottom_up: float | None = strawberry.field(
        description="Bottom-up: the sum of the reps' forecasts (after generation)."
    )
    suggested_probability: float | None = strawberry.field(
        default=None,
        description=(
            "The design point the suggested goal implies: the probability (0-1) that a rep "
            "meets a target when the suggestion is split at equal difficulty, from the "
            "generated plan's forecast distributions (after generation; scope goal only)."
        ),
    )

    @strawberry.field(description="Goal minus the bottom-up forecast (the stretch to cover).")
    def gap(self) -> float | None:
        return None if self.bottom_up is None else self.value - self.bottom_up

    @classmethod
    def from_view(
        cls, g: goal_service.GoalView, bottom_up: dict[str, float] | None = None
    ) -> PlanGoal:
        """The goal; ``bottom_up`` (metric code -> stored forecast) fills the scope's figure."""
        stored = (bottom_up or {}).get(g.metric_code) if g.is_scope else None
        return cls(
            metric_code=g.metric_code,
            org_unit_id=strawberry.ID(str(g.org_unit_id)),
            value=g.value,
            source=g.source,
            is_scope=g.is_scope,
            last_year_actual=g.last_year_actual,
            suggested=g.suggested,
            bottom_up=stored if stored is not None else g.bottom_up,
            suggested_probability=g.suggested_probability,
        )


@strawberry.type(description="A comment on a plan.")
class PlanComment:
    model: strawberry.Private[PlanCommentModel]

    @strawberry.field(description="Comment id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Who wrote it.")
    def author(self) -> str:
        return self.model.author

    @strawberry.field(description="The text.")
    def body(self) -> str:
        return self.model.body

    @strawberry.field(description="When.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at


@strawberry.type(description="One change to a plan in the append-only audit log.")
class PlanAuditEntry:
    model: strawberry.Private[AuditEntryModel]

    @strawberry.field(description="When.")
    def at(self) -> dt.datetime:
        return self.model.at

    @strawberry.field(description="Who.")
    def actor(self) -> str:
        return self.model.actor

    @strawberry.field(description="What, e.g. `create`, `generate`, `override_target`, `approve`.")
    def action(self) -> str:
        return self.model.action

    @strawberry.field(description="State before the change.")
    def before(self) -> JSON | None:
        return JSON(self.model.before) if self.model.before is not None else None

    @strawberry.field(description="State after the change.")
    def after(self) -> JSON | None:
        return JSON(self.model.after) if self.model.after is not None else None

    @strawberry.field(description="Why.")
    def reason(self) -> str:
        return self.model.reason


@strawberry.type(description="Targets summed over a group of reps (a rank or an org node).")
class TargetSummary:
    key: strawberry.ID = strawberry.field(description="Rank id or org unit id.")
    label: str = strawberry.field(description="Rank code or org unit name.")
    reps: int = strawberry.field(description="Reps in the group.")
    total: float = strawberry.field(
        description="Sum of the period targets (mean for ratio metrics)."
    )
    goal: float | None = strawberry.field(description="The node's goal, if it has one.")
    mean_probability: float | None = strawberry.field(
        description="Mean achievement probability of the reps' period targets."
    )
    buckets: list[int] = strawberry.field(
        description="Reps by achievement probability: [0,.2), [.2,.4), [.4,.6), [.6,.8), [.8,1]."
    )

    @classmethod
    def from_summary(cls, s: summary_service.Summary) -> TargetSummary:
        return cls(
            key=strawberry.ID(s.key),
            label=s.label,
            reps=s.reps,
            total=s.total,
            goal=s.goal,
            mean_probability=s.mean_probability,
            buckets=s.buckets,
        )


@strawberry.type(description="A target-setting scenario for a period and an org scope.")
class Plan:
    model: strawberry.Private[PlanModel]

    @strawberry.field(description="Plan id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Name.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="The org unit the plan covers (with its subtree).")
    def scope_org_unit_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.scope_org_id))

    @strawberry.field(description="Fiscal year or quarter.")
    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.model.period_kind)

    @strawberry.field(description="First day of the period.")
    def period_start(self) -> dt.date:
        return self.model.period_start

    @strawberry.field(description="Last day of the period.")
    def period_end(self) -> dt.date:
        return self.model.period_end

    @strawberry.field(description="First day of each month of the period.")
    def months(self) -> list[dt.date]:
        return period_months(self.model)

    @strawberry.field(description="Lifecycle status.")
    def status(self) -> PlanStatus:
        return PlanStatus(self.model.status)

    @strawberry.field(description="How a people change's difference is handled in this plan.")
    def adjustment_policy(self) -> AdjustmentPolicy:
        return AdjustmentPolicy(self.model.adjustment_policy)

    @strawberry.field(description="Decomposition strategy.")
    def strategy(self) -> Strategy:
        return Strategy(self.model.strategy)

    @strawberry.field(description="Constraint settings.")
    def constraints(self) -> PlanConstraints:
        s = PlanSettings.from_plan(self.model.strategy, self.model.constraints)
        return PlanConstraints.from_settings(s)

    @strawberry.field(description="Growth rate of the top-down goal suggestion.")
    def growth_rate(self) -> float:
        return self.model.growth_rate

    @strawberry.field(description="Optimistic-concurrency version; pass it back when editing.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Who created the plan.")
    def created_by(self) -> str:
        return self.model.created_by

    @strawberry.field(description="When it was created.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="Who submitted it for approval.")
    def submitted_by(self) -> str | None:
        return self.model.submitted_by

    @strawberry.field(description="Who approved it (never the submitter).")
    def approved_by(self) -> str | None:
        return self.model.approved_by

    @strawberry.field(description="The plan this one was cloned from.")
    def cloned_from_id(self) -> strawberry.ID | None:
        cloned = self.model.cloned_from_id
        return strawberry.ID(str(cloned)) if cloned else None

    @strawberry.field(description="Which forecast model generation used, per metric.")
    def forecast_method(self) -> str:
        return self.model.forecast_method

    @strawberry.field(description="When targets were last generated; null = not yet.")
    def generated_at(self) -> dt.datetime | None:
        return self.model.generated_at

    @strawberry.field(
        description="Goals of the org units in your scope (none for a rep); `setOnly` hides the"
        " goals derived from the targets."
    )
    async def goals(self, info: Info, set_only: bool = False) -> list[PlanGoal]:
        async with info.context.db() as session:
            views = await goal_service.goal_views(
                session, plan=self.model, principal=info.context.principal, set_only=set_only
            )
        bottom_up = await info.context.loaders.bottom_up.load(self.model.id or 0)
        return [PlanGoal.from_view(g, bottom_up) for g in views]

    @strawberry.field(
        description="What had to give at the last generation or rebalance: every relaxed soft"
        " constraint you may see, highest priority family first. Empty when all held."
    )
    async def relaxations(self, info: Info) -> list[PlanRelaxation]:
        async with info.context.db() as session:
            rows = await outcome_service.plan_relaxations(
                session, principal=info.context.principal, plan_id=self.model.id or 0
            )
        return [PlanRelaxation(model=r) for r in rows]

    @strawberry.field(
        description="Comments, oldest first: for those who may plan or approve (empty otherwise)."
    )
    async def comments(self, info: Info) -> list[PlanComment]:
        async with info.context.db() as session:
            rows = await lifecycle_service.plan_comments(
                session, principal=info.context.principal, plan_id=self.model.id or 0
            )
        return [PlanComment(model=c) for c in rows]

    @strawberry.field(
        description="Every change to the plan and its targets, oldest first, as far as your scope"
        " reaches: overrides of your reps only, plan-wide entries without other units' figures."
    )
    async def audit_trail(self, info: Info) -> list[PlanAuditEntry]:
        async with info.context.db() as session:
            rows = await lifecycle_service.plan_audit(
                session, principal=info.context.principal, plan_id=self.model.id or 0
            )
        return [PlanAuditEntry(model=e) for e in rows]

    @strawberry.field(description="Targets per rank: sum, mean P(achieve) and its distribution.")
    async def rank_summaries(self, info: Info, metric_code: str) -> list[TargetSummary]:
        async with info.context.db() as session:
            rows = await summary_service.rank_summaries(
                session,
                principal=info.context.principal,
                plan_id=self.model.id or 0,
                metric_code=metric_code,
            )
        return [TargetSummary.from_summary(s) for s in rows]

    @strawberry.field(
        description="Targets per org node (a node and its children): sum against goal, mean P."
    )
    async def node_summaries(
        self, info: Info, metric_code: str, parent_id: strawberry.ID | None = None
    ) -> list[TargetSummary]:
        async with info.context.db() as session:
            rows = await summary_service.node_summaries(
                session,
                principal=info.context.principal,
                plan_id=self.model.id or 0,
                metric_code=metric_code,
                parent_id=int(parent_id) if parent_id else None,
            )
        return [TargetSummary.from_summary(s) for s in rows]


@strawberry.type(description="One target: plan x rep x metric x month.")
class Target:
    metric_code: str = strawberry.field(description="The metric.")
    month: dt.date = strawberry.field(description="First day of the month.")
    value: float = strawberry.field(description="The current target.")
    suggested: float = strawberry.field(description="The system's suggestion at generation.")
    probability: float | None = strawberry.field(description="P(actual >= target).")
    locked: bool = strawberry.field(description="Set by a manager; rebalancing leaves it.")
    flags: list[str] = strawberry.field(
        description="Validation flags: vs_history, vs_peers, vs_baseline, at_<bound family>."
    )
    explanation: JSON = strawberry.field(
        description="Components (rank baseline, coefficients, history, strategy, constraint)"
        " that add up to the period total, the binding bound and the period P(achieve)."
    )
    version: int = strawberry.field(description="Version of the rep x metric; pass it back.")


@strawberry.type(description="A rep's targets in a plan, every metric and month.")
class RepTargets:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    rep_name: str = strawberry.field(description="The rep's name.")
    rank_code: str = strawberry.field(description="The rep's rank.")
    team_id: strawberry.ID = strawberry.field(description="The rep's team.")
    targets: list[Target] = strawberry.field(description="Targets by metric, then month.")


@strawberry.type(description="A page of reps' targets.")
class RepTargetsPage:
    total_count: int = strawberry.field(description="Reps visible in the plan.")
    items: list[RepTargets] = strawberry.field(description="This page.")


@strawberry.type(
    description="One metric's targets as parallel arrays: one entry per rep, and values"
    " flattened rep-major (rep 0's months, then rep 1's, ...). Compact for large grids."
)
class TargetsGrid:
    metric_code: str = strawberry.field(description="The metric.")
    months: list[dt.date] = strawberry.field(description="The plan's months (columns).")
    rep_ids: list[strawberry.ID] = strawberry.field(description="Reps (rows).")
    rep_names: list[str] = strawberry.field(description="Rep names, by row.")
    rank_codes: list[str] = strawberry.field(description="Rank codes, by row.")
    team_ids: list[strawberry.ID] = strawberry.field(description="Teams, by row.")
    values: list[float] = strawberry.field(description="Targets, rep-major.")
    suggested: list[float] = strawberry.field(description="Suggestions, rep-major.")
    probabilities: list[float | None] = strawberry.field(
        description="Monthly P(achieve) of each month's target, rep-major."
    )
    period_probabilities: list[float | None] = strawberry.field(
        description="P(achieve) of each rep's period total, by row (the grid's P)."
    )
    locked: list[bool] = strawberry.field(description="Locked flags, rep-major.")
    versions: list[int] = strawberry.field(description="Versions, rep-major.")


@strawberry.type(description="A rep beside the peers of the same rank and region.")
class Peer:
    label: str = strawberry.field(description="Name, or `Peer n` when anonymised.")
    rep_id: strawberry.ID | None = strawberry.field(description="Null when anonymised.")
    total: float = strawberry.field(description="Period target.")
    probability: float | None = strawberry.field(description="P(achieve) of the period target.")
    is_self: bool = strawberry.field(description="The rep asked about.")


@strawberry.type(description="A constraint that makes generation impossible, and by how much.")
class PlanConflict:
    family: str = strawberry.field(
        description="goal, bounds, floor, ceiling, band, cap, lock or monotonicity."
    )
    node: str = strawberry.field(description="Where: an org node, a rep or the model.")
    metric: str = strawberry.field(description="The metric.")
    amount: float | None = strawberry.field(description="By how much it is violated.")
    message: str = strawberry.field(description="Readable explanation.")


@strawberry.type(description="Result of a plan mutation.")
class PlanPayload:
    plan: Plan | None = strawberry.field(description="The plan; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="A rep's period target after a change.")
class RebalancedTarget:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    total: float = strawberry.field(description="New period total.")
    probability: float = strawberry.field(description="P(achieve) of the period total.")
    months: list[float] = strawberry.field(description="New monthly values.")
    version: int = strawberry.field(description="New version of the rep x metric.")


@strawberry.type(description="What an override did: the locked target and its team rebalanced.")
class OverrideResult:
    rep_id: strawberry.ID = strawberry.field(description="The rep whose target was set.")
    metric_code: str = strawberry.field(description="The metric.")
    month: dt.date | None = strawberry.field(description="The month; null = the period total.")
    value: float = strawberry.field(description="The value set (now locked).")
    probability: float = strawberry.field(description="P(achieve) of that value.")
    period_total: float = strawberry.field(description="The rep's new period total.")
    period_probability: float = strawberry.field(description="P(achieve) of the period total.")
    version: int = strawberry.field(description="The new version of the rep x metric.")
    node_id: strawberry.ID | None = strawberry.field(
        description="The team (lowest node with a goal) that absorbed the change."
    )
    node_total: float = strawberry.field(description="The node's new total (equals its goal).")
    node_goal: float | None = strawberry.field(description="The node's goal.")
    rebalanced: list[RebalancedTarget] = strawberry.field(
        description="Every rep whose targets changed, the overridden one included."
    )


@strawberry.type(description="A committed change to a plan, for everyone viewing it.")
class PlanChange:
    plan_id: strawberry.ID = strawberry.field(description="The plan.")
    action: str = strawberry.field(description="e.g. `override_target`, `generate`, `approve`.")
    actor: str = strawberry.field(description="Who made it.")
    at: dt.datetime = strawberry.field(description="When.")
    targets: list[RebalancedTarget] = strawberry.field(
        description="Targets that changed (only your own for a rep)."
    )
    metric_code: str | None = strawberry.field(description="The metric of the targets.")


@strawberry.type(description="Progress of a running generation.")
class GenerationProgress:
    plan_id: strawberry.ID = strawberry.field(description="The plan.")
    stage: str = strawberry.field(description="loading, forecasting <metric>, decomposing, ...")
    fraction: float = strawberry.field(description="Done so far, 0 to 1.")


@strawberry.type(description="One rep's period target in two scenarios.")
class RepDelta:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    rep_name: str = strawberry.field(description="The rep's name.")
    rank_code: str = strawberry.field(description="The rep's rank.")
    a: float = strawberry.field(description="Target in the first (current) scenario.")
    b: float = strawberry.field(description="Target in the second (new) scenario.")
    delta: float = strawberry.field(description="b - a.")
    probability_a: float | None = strawberry.field(description="P(achieve) in a.")
    probability_b: float | None = strawberry.field(description="P(achieve) in b.")


@strawberry.type(description="One rank's targets in two scenarios.")
class RankDelta:
    rank_code: str = strawberry.field(description="The rank.")
    reps: int = strawberry.field(description="Reps of the rank.")
    a: float = strawberry.field(description="Sum of targets in a.")
    b: float = strawberry.field(description="Sum of targets in b.")
    mean_probability_a: float | None = strawberry.field(description="Mean P(achieve) in a.")
    mean_probability_b: float | None = strawberry.field(description="Mean P(achieve) in b.")


@strawberry.type(description="Two scenarios of one metric side by side.")
class MetricComparison:
    metric_code: str = strawberry.field(description="The metric.")
    goal_a: float = strawberry.field(description="Scope goal in a.")
    goal_b: float = strawberry.field(description="Scope goal in b.")
    common_probability: float | None = strawberry.field(
        description="Equal-difficulty's common achievement level in b (what-if only)."
    )
    reps: list[RepDelta] = strawberry.field(description="Per-rep deltas.")
    ranks: list[RankDelta] = strawberry.field(description="Per-rank summaries.")


@strawberry.type(description="Expected rank moves per rank if the plan's targets hold.")
class RankOutlook:
    rank_code: str = strawberry.field(description="The rank.")
    level: int = strawberry.field(description="Its level.")
    reps: int = strawberry.field(description="Reps of the rank in the plan.")
    promotions: float = strawberry.field(description="Expected promotions.")
    retentions: float = strawberry.field(description="Expected retentions.")
    demotions: float = strawberry.field(description="Expected demotions.")
    mean_attainment: float = strawberry.field(description="Mean expected weighted attainment.")
