"""Benchmark of the chunked writer: ``uv run python -m solver.synth.bench 100000 [OUT_DIR]``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from solver.synth.generate import write_company
from solver.synth.model import CompanyConfig, GenerationStats


def run_benchmark(n_reps: int, out_dir: Path, *, chunk_reps: int = 20_000) -> GenerationStats:
    """Write a company of ``n_reps`` reps (36 months) to ``out_dir`` and return its stats."""
    return write_company(CompanyConfig(n_reps=n_reps), out_dir, chunk_reps=chunk_reps)


def main(argv: list[str]) -> None:
    n_reps = int(argv[0]) if argv else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(argv[1]) if len(argv) > 1 else Path(tmp)
        stats = run_benchmark(n_reps, out)
    print(
        f"reps={stats.n_reps} chunks={stats.chunks} seconds={stats.seconds:.1f} "
        f"peak_mb={stats.peak_memory_mb:.0f}"
    )
    print(" ".join(f"{k}={v}" for k, v in stats.rows.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
