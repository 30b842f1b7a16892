"""What a relaxation's sentence needs besides the relaxation itself.

The solver names reps and nodes by id; a manager reads names, rank codes and forecasts. The
planning core builds one ``RelaxationContext`` per generation or rebalance from the inputs it
already holds, and the service stores it beside the relaxations, so the sentence still reads as
it did when the plan was made after a rep is renamed or promoted.

>>> ctx = RelaxationContext(
...     rep_names={7: "Lu Yu"}, rep_ranks={7: "S6"},
...     rep_forecasts={(7, "revenue"): 6.2e6}, node_names={3: "North"},
... )
>>> ctx.rep_names[7], ctx.rep_forecasts[(7, "revenue")]
('Lu Yu', 6200000.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RelaxationContext:
    """Names, rank codes and forecasts at generation time, keyed by the solver's ids."""

    rep_names: Mapping[int, str]
    rep_ranks: Mapping[int, str]
    # (rep_id, metric code) -> forecast mean of the rep's period total for that metric.
    rep_forecasts: Mapping[tuple[int, str], float]
    node_names: Mapping[int, str]
