"""Goal decomposition over the org tree (LP with HiGHS via OR-Tools) and its checker."""

from solver.decompose.check import check_result
from solver.decompose.solve import decompose

__all__ = ["check_result", "decompose"]
