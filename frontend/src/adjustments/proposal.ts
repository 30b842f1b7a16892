import type { AdjustmentMoveFieldsFragment, AdjustmentProposalFieldsFragment } from '../gql/graphql';

/** One month of the subject's targets: before, as proposed, and the change. */
export interface MonthDiffRow {
  month: string;
  before: number;
  after: number;
  delta: number;
  /** On or after the effective month (the months a change may move). */
  changed: boolean;
}

/**
 * The subject's months side by side, in the plan's order. A month is `changed` from the
 * effective month on: `monthDiff({months: ['2026-01-01', '2026-02-01'], effectiveMonth:
 * '2026-02-01', subject: {before: [10, 10], after: [10, 4]}})` → Jan 10→10, Feb 10→4 (−6).
 */
export function monthDiff(proposal: Pick<AdjustmentProposalFieldsFragment, 'months' | 'effectiveMonth'> & { subject: Pick<AdjustmentMoveFieldsFragment, 'before' | 'after'> }): MonthDiffRow[] {
  return proposal.months.map((month, i) => {
    const before = proposal.subject.before[i] ?? 0;
    const after = proposal.subject.after[i] ?? before;
    return { month, before, after, delta: after - before, changed: month >= proposal.effectiveMonth };
  });
}

/** A move's change of period total (negative: lower). */
export function totalDelta(move: Pick<AdjustmentMoveFieldsFragment, 'totalBefore' | 'totalAfter'>): number {
  return move.totalAfter - move.totalBefore;
}

/** How many teammates absorb the change and by how much in all (positive: they take more); a move under half a cent is rounding, not a move. */
export function absorbedBy(absorbers: readonly Pick<AdjustmentMoveFieldsFragment, 'totalBefore' | 'totalAfter'>[]): { count: number; total: number } {
  const moving = absorbers.filter((move) => Math.abs(totalDelta(move)) >= 0.005);
  return { count: moving.length, total: moving.reduce((sum, move) => sum + totalDelta(move), 0) };
}

/** Whether the same-difficulty total is worth offering: known, and not what is already asked. */
export function offersSameDifficulty(sameDifficultyTotal: number | null | undefined, asked: number | null | undefined): sameDifficultyTotal is number {
  if (sameDifficultyTotal === null || sameDifficultyTotal === undefined) return false;
  return asked === null || asked === undefined || Math.abs(sameDifficultyTotal - asked) > 1e-6;
}

/** A total rounded as the API would keep it: whole for counts and big amounts, cents otherwise. */
export function roundTotal(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
