"""What a rep's targets of one metric were built on, stored beside its distribution.

The stored form (``to_json`` / ``from_json``) is read back by overrides and what-if so that
they rebuild the same inputs as generation without forecasting again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def _num(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _json(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class RepBasis:
    """Rank floor, ceiling and baseline of the period total (after ramp and leave), last
    year's actual over the same months, forecast mean, potential score (0-100), monthly
    phasing shares and the coefficient. NaN = none. ``floor_source`` names the floor:
    ``rank`` (baseline x the rank's floor), ``trailing_year`` (a share of what the rep sold
    over the trailing year, when the rank sets none) or empty."""

    floor: float
    ceiling: float
    baseline: float
    last_actual: float
    mean: float
    potential: float
    share: tuple[float, ...]
    coefficient: float = 1.0
    floor_source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "floor": _json(self.floor),
            "ceiling": _json(self.ceiling),
            "baseline": _json(self.baseline),
            "last_actual": _json(self.last_actual),
            "mean": _json(self.mean),
            "potential": _json(self.potential),
            "share": list(self.share),
            "coefficient": self.coefficient,
            "floor_source": self.floor_source,
        }

    @staticmethod
    def from_json(stored: Mapping[str, Any]) -> RepBasis:
        return RepBasis(
            floor=_num(stored.get("floor")),
            ceiling=_num(stored.get("ceiling")),
            baseline=_num(stored.get("baseline")),
            last_actual=_num(stored.get("last_actual")),
            mean=_num(stored.get("mean")),
            potential=_num(stored.get("potential", 50.0)),
            share=tuple(float(s) for s in stored.get("share") or ()),
            coefficient=float(stored.get("coefficient", 1.0)),
            floor_source=str(stored.get("floor_source") or ""),
        )
