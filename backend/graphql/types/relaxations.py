"""What had to give: a plan's relaxed soft constraints, structured and told in words."""

from __future__ import annotations

import math
from enum import Enum

import strawberry

from backend.db.models import PlanRelaxation as PlanRelaxationModel
from backend.services.relaxation_text import Sentence, describe


@strawberry.enum(description="A language a sentence can be told in.")
class Locale(Enum):
    EN = "en"
    ZH_CN = "zh-CN"


@strawberry.enum(description="A soft constraint family, highest priority first.")
class RelaxationFamily(Enum):
    RANK = "rank"
    BAND = "band"
    CAP = "cap"
    PHASING = "phasing"
    MONOTONICITY = "monotonicity"


@strawberry.enum(description="Which side of a bound gave.")
class BoundSide(Enum):
    LOWER = "lower"
    UPPER = "upper"


@strawberry.enum(description="Whose constraint gave: one rep's, a goal node's, or model-wide.")
class RelaxationScope(Enum):
    REP = "rep"
    NODE = "node"
    METRIC = "metric"


@strawberry.type(
    description="A soft constraint that gave so that the hard ones (goals, locks) hold, by how"
    " much, and what to do about it."
)
class PlanRelaxation:
    model: strawberry.Private[PlanRelaxationModel]

    @strawberry.field(description="The constraint family: rank, band, cap, phasing, monotonicity.")
    def family(self) -> RelaxationFamily:
        return RelaxationFamily(self.model.family)

    @strawberry.field(description="The side of the bound that gave; null for model-wide ones.")
    def side(self) -> BoundSide | None:
        return BoundSide(self.model.side) if self.model.side else None

    @strawberry.field(description="Whose constraint: a rep's, a goal node's, or model-wide.")
    def scope(self) -> RelaxationScope:
        return RelaxationScope(self.model.scope)

    @strawberry.field(description="The metric.")
    def metric_code(self) -> str:
        return self.model.metric_code

    @strawberry.field(description="The rep (scope REP).")
    def rep_id(self) -> strawberry.ID | None:
        rep = self.model.rep_id
        return strawberry.ID(str(rep)) if rep is not None else None

    @strawberry.field(description="The rep's name at generation.")
    def rep_name(self) -> str | None:
        return self.model.rep_name

    @strawberry.field(description="The rep's rank code at generation.")
    def rank_code(self) -> str | None:
        return self.model.rank_code

    @strawberry.field(description="The rep's forecast mean of the period total at generation.")
    def forecast(self) -> float | None:
        return _finite(self.model.forecast)

    @strawberry.field(description="The goal node (scope NODE).")
    def org_unit_id(self) -> strawberry.ID | None:
        node = self.model.org_unit_id
        return strawberry.ID(str(node)) if node is not None else None

    @strawberry.field(description="The node's name at generation.")
    def node_name(self) -> str | None:
        return self.model.node_name

    @strawberry.field(description="The bound as set (for a node: the sum of its reps' bounds).")
    def limit(self) -> float | None:
        return _finite(self.model.limit_value)

    @strawberry.field(description="The value the stronger constraint required instead.")
    def required(self) -> float | None:
        return _finite(self.model.required)

    @strawberry.field(description="How far the bound gave: |required - limit|, in the unit.")
    def amount(self) -> float | None:
        return _finite(self.model.amount)

    @strawberry.field(description="The amount relative to the bound as set; null for a zero one.")
    def share(self) -> float | None:
        limit = self.model.limit_value
        return _finite(self.model.amount / abs(limit)) if limit else None

    @strawberry.field(
        description="What it gave to: a higher family (`rank`, `band`), `lock` or `goal`."
    )
    def because(self) -> str:
        return self.model.because

    @strawberry.field(description="How many reps' bounds moved (scope NODE); 1 otherwise.")
    def reps(self) -> int:
        return self.model.reps

    @strawberry.field(description="The whole sentence: what gave, and the suggested action.")
    def message(self, locale: Locale = Locale.EN) -> str:
        return self._sentence(locale).message

    @strawberry.field(description="What gave and by how much, without the suggested action.")
    def situation(self, locale: Locale = Locale.EN) -> str:
        return self._sentence(locale).situation

    @strawberry.field(description="The suggested action, e.g. `raise the ceiling`.")
    def action(self, locale: Locale = Locale.EN) -> str:
        return self._sentence(locale).action

    def _sentence(self, locale: Locale) -> Sentence:
        return describe(self.model, locale="zh-CN" if locale is Locale.ZH_CN else "en")


def _finite(x: float | None) -> float | None:
    """GraphQL floats are finite: an unbounded value reads as null."""
    return x if x is not None and math.isfinite(x) else None
