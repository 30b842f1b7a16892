import type { GridRow } from './gridData';

/** The part of `previewOverride`'s answer the diff reads. */
export interface PreviewResultLike {
  repId: string;
  periodTotal: number;
  periodProbability: number;
  nodeTotal: number;
  nodeGoal?: number | null;
  rebalanced: readonly { repId: string; total: number; probability: number }[];
}

/** One rep an override would move: the grid's current numbers and the preview's. */
export interface PreviewMove {
  repId: string;
  repName: string;
  /** The rep being overridden (listed first). */
  edited: boolean;
  before: number;
  after: number;
  delta: number;
  probabilityBefore: number | null;
  probabilityAfter: number;
}

export interface OverrideDiff {
  /** The edited rep, then teammates by the size of their move, largest first. */
  moves: PreviewMove[];
  /** Teammates who move (the edited rep excluded). */
  teammates: number;
  teamBefore: number | null;
  teamAfter: number;
  goal: number | null;
}

/** Moves smaller than this share of the old value are rounding, not moves. */
const TOLERANCE = 1e-6;

function moved(before: number, after: number): boolean {
  return Math.abs(after - before) > TOLERANCE * Math.max(1, Math.abs(before));
}

/**
 * Compare a preview with the grid as it stands: who moves, from what to what, and the team's
 * total before and after against its goal. Reps the grid does not show (outside the caller's
 * view) are listed by id with no "before".
 *
 * `overrideDiff(rows, { repId: '1', periodTotal: 120, … rebalanced: [{ repId: '2', total: 80, … }] })`
 * → moves `[{ repId: '1', before: 100, after: 120 }, { repId: '2', before: 100, after: 80 }]`.
 */
export function overrideDiff(rows: readonly GridRow[], result: PreviewResultLike): OverrideDiff {
  const byRep = new Map(rows.map((r) => [r.repId, r]));
  const after = new Map(result.rebalanced.map((c) => [c.repId, c]));
  after.set(result.repId, { repId: result.repId, total: result.periodTotal, probability: result.periodProbability });
  const moves: PreviewMove[] = [];
  for (const change of after.values()) {
    const row = byRep.get(change.repId);
    const before = row?.total ?? Number.NaN;
    const edited = change.repId === result.repId;
    if (!edited && row && !moved(before, change.total)) continue;
    moves.push({
      repId: change.repId,
      repName: row?.repName ?? change.repId,
      edited,
      before,
      after: change.total,
      delta: change.total - before,
      probabilityBefore: row?.probability ?? null,
      probabilityAfter: change.probability,
    });
  }
  moves.sort((a, b) => Number(b.edited) - Number(a.edited) || Math.abs(b.delta || 0) - Math.abs(a.delta || 0));
  return {
    moves,
    teammates: moves.filter((m) => !m.edited).length,
    teamBefore: teamBefore(rows, result.repId),
    teamAfter: result.nodeTotal,
    goal: result.nodeGoal ?? null,
  };
}

/** The edited rep's team total in the grid now (null when the rep is not in the grid). */
function teamBefore(rows: readonly GridRow[], repId: string): number | null {
  const team = rows.find((r) => r.repId === repId)?.teamId;
  if (team === undefined) return null;
  return rows.filter((r) => r.teamId === team).reduce((s, r) => s + r.total, 0);
}
