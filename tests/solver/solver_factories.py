"""Keyword-only factories for small solver test inputs."""

from __future__ import annotations

import numpy as np

from solver.types import QuantileTable, RepBounds

LEVELS = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95])


def make_table(*, n: int = 5, seed: int = 0, scale: float = 100.0) -> QuantileTable:
    """Lognormal-ish quantiles: median ~ scale x U(0.5, 1.5), spread ~ 30%."""
    rng = np.random.default_rng(seed)
    median = scale * rng.uniform(0.5, 1.5, n)
    sigma = rng.uniform(0.1, 0.5, n)
    z = np.array([-1.645, -1.2816, -0.6745, 0.0, 0.6745, 1.2816, 1.645])
    values = median[:, None] * np.exp(sigma[:, None] * z[None, :])
    return QuantileTable(np.arange(1, n + 1, dtype=np.int64), LEVELS.copy(), values)


def make_bounds(*, table: QuantileTable, lo_q: float = 0.5, hi_q: float = 1.6) -> RepBounds:
    """Bounds as multiples of each rep's median."""
    median = table.values[:, 3]
    return RepBounds(table.rep_ids, lo_q * median, hi_q * median)
