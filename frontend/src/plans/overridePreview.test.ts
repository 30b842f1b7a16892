import { describe, expect, it } from 'vitest';
import type { GridRow } from './gridData';
import { overrideDiff } from './overridePreview';

function row(repId: string, total: number, { teamId = 't1', probability = 0.5 }: { teamId?: string; probability?: number | null } = {}): GridRow {
  return {
    key: repId,
    index: Number(repId),
    repId,
    repName: `Rep ${repId}`,
    rankCode: 'S1',
    teamId,
    months: [total],
    suggestedMonths: [total],
    monthProbabilities: [probability],
    total,
    suggestedTotal: total,
    probability,
    locked: false,
    version: 1,
  };
}

const rows = [row('1', 100), row('2', 100), row('3', 100), row('4', 50, { teamId: 't2' })];

describe('overrideDiff', () => {
  it('lists the edited rep first, then teammates by the size of their move', () => {
    const diff = overrideDiff(rows, {
      repId: '1',
      periodTotal: 130,
      periodProbability: 0.3,
      nodeTotal: 300,
      nodeGoal: 300,
      rebalanced: [
        { repId: '2', total: 90, probability: 0.6 },
        { repId: '3', total: 80, probability: 0.7 },
      ],
    });
    expect(diff.moves.map((m) => [m.repId, m.before, m.after, m.delta])).toEqual([
      ['1', 100, 130, 30],
      ['3', 100, 80, -20],
      ['2', 100, 90, -10],
    ]);
    expect(diff.moves[0]).toMatchObject({ edited: true, repName: 'Rep 1', probabilityBefore: 0.5, probabilityAfter: 0.3 });
    expect(diff.teammates).toBe(2);
  });

  it('gives the team total before (from the grid) and after (from the preview) against the goal', () => {
    const diff = overrideDiff(rows, { repId: '1', periodTotal: 130, periodProbability: 0.3, nodeTotal: 330, nodeGoal: 300, rebalanced: [] });
    expect(diff).toMatchObject({ teamBefore: 300, teamAfter: 330, goal: 300, teammates: 0 });
  });

  it('leaves out teammates the preview returns unchanged', () => {
    const diff = overrideDiff(rows, {
      repId: '1',
      periodTotal: 110,
      periodProbability: 0.4,
      nodeTotal: 300,
      rebalanced: [
        { repId: '1', total: 110, probability: 0.4 },
        { repId: '2', total: 100.0000001, probability: 0.5 },
        { repId: '3', total: 90, probability: 0.6 },
      ],
    });
    expect(diff.moves.map((m) => m.repId)).toEqual(['1', '3']);
    expect(diff.goal).toBeNull();
  });

  it('names reps the grid does not show by id, with no before', () => {
    const diff = overrideDiff([row('1', 100)], {
      repId: '1',
      periodTotal: 120,
      periodProbability: 0.4,
      nodeTotal: 200,
      rebalanced: [{ repId: '9', total: 80, probability: 0.6 }],
    });
    expect(diff.moves[1]).toMatchObject({ repId: '9', repName: '9', after: 80, probabilityBefore: null });
    expect(Number.isNaN(diff.moves[1].before)).toBe(true);
  });

  it('has no team before when the edited rep is not in the grid', () => {
    expect(overrideDiff([], { repId: '1', periodTotal: 1, periodProbability: 1, nodeTotal: 1, rebalanced: [] }).teamBefore).toBeNull();
  });
});
