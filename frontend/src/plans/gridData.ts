import type { TargetsGridQuery } from '../gql/graphql';

export type TargetsGrid = TargetsGridQuery['targetsGrid'];

/** One rep's row of the targets grid, built from the compact columnar field. */
export interface GridRow {
  key: string;
  index: number;
  repId: string;
  repName: string;
  rankCode: string;
  teamId: string;
  months: number[];
  suggestedMonths: number[];
  monthProbabilities: (number | null)[];
  total: number;
  suggestedTotal: number;
  /** P(achieve) of the period total (each month's own P is in `monthProbabilities`). */
  probability: number | null;
  locked: boolean;
  /** The version to send as `expectedVersion` when overriding (the rep's rows share one). */
  version: number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Split the rep-major parallel arrays into one row per rep (one pass, no per-cell objects). */
export function gridRows(grid: TargetsGrid): GridRow[] {
  const n = grid.months.length;
  const rows: GridRow[] = new Array(grid.repIds.length);
  for (let i = 0; i < grid.repIds.length; i += 1) {
    const start = i * n;
    const months = grid.values.slice(start, start + n);
    const suggestedMonths = grid.suggested.slice(start, start + n);
    const monthProbabilities = grid.probabilities.slice(start, start + n).map((p) => p ?? null);
    rows[i] = {
      key: grid.repIds[i],
      index: i,
      repId: grid.repIds[i],
      repName: grid.repNames[i],
      rankCode: grid.rankCodes[i],
      teamId: grid.teamIds[i],
      months,
      suggestedMonths,
      monthProbabilities,
      total: sum(months),
      suggestedTotal: sum(suggestedMonths),
      probability: grid.periodProbabilities[i] ?? null,
      locked: grid.locked.slice(start, start + n).some(Boolean),
      version: grid.versions[start] ?? 0,
    };
  }
  return rows;
}

/** Period totals per team. */
export function teamTotals(rows: readonly GridRow[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.teamId, (totals.get(row.teamId) ?? 0) + row.total);
  return totals;
}

export interface RebalancedLike {
  repId: string;
  total: number;
  probability: number;
  months: readonly number[];
  version: number;
}

/**
 * Apply an override's answer: the edited rep and the rebalanced team get their new months,
 * totals, P and versions; other rows are kept as they are (same objects).
 */
export function applyRebalanced(
  rows: readonly GridRow[],
  changes: readonly RebalancedLike[],
  lockedRepId?: string,
): GridRow[] {
  const byRep = new Map(changes.map((c) => [c.repId, c]));
  return rows.map((row) => {
    const change = byRep.get(row.repId);
    if (!change) return row;
    return {
      ...row,
      months: [...change.months],
      total: change.total,
      // The answer's P is the period's, the same P the grid shows.
      probability: change.probability,
      version: change.version,
      locked: row.locked || row.repId === lockedRepId,
    };
  });
}

/** Counts of P(achieve) in ten buckets [0, 0.1), …, [0.9, 1]. */
export function probabilityHistogram(rows: readonly GridRow[]): number[] {
  const buckets = new Array<number>(10).fill(0);
  for (const row of rows) {
    if (row.probability === null) continue;
    buckets[Math.min(9, Math.max(0, Math.floor(row.probability * 10)))] += 1;
  }
  return buckets;
}

/** Flags the grid can tell from its own numbers (the full list is in the explanation drawer). */
export function rowFlags(row: GridRow, pMin = 0.05, pMax = 0.98): string[] {
  const flags: string[] = [];
  if (row.locked) flags.push('locked');
  if (row.probability !== null && row.probability < Math.max(pMin, 0.2)) flags.push('hard');
  if (row.probability !== null && row.probability > Math.min(pMax, 0.9)) flags.push('easy');
  if (row.suggestedTotal > 0 && Math.abs(row.total - row.suggestedTotal) / row.suggestedTotal > 0.001) flags.push('changed');
  return flags;
}
