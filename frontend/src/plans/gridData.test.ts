import { describe, expect, it } from 'vitest';
import { applyRebalanced, gridRows, probabilityHistogram, rowFlags, teamTotals, type TargetsGrid } from './gridData';

const grid: TargetsGrid = {
  metricCode: 'revenue',
  months: ['2026-01-01', '2026-02-01'],
  repIds: ['1', '2', '3'],
  repNames: ['Ann', 'Bo', 'Cy'],
  rankCodes: ['S1', 'S2', 'S1'],
  teamIds: ['10', '10', '11'],
  values: [1, 2, 3, 4, 5, 6],
  suggested: [1, 2, 3, 4, 5, 5],
  probabilities: [0.5, 0.7, null, null, 0.95, 0.97],
  periodProbabilities: [0.55, null, 0.96],
  locked: [false, false, false, true, false, false],
  versions: [1, 1, 2, 2, 3, 3],
};

describe('gridRows', () => {
  it('splits rep-major arrays into rows', () => {
    const rows = gridRows(grid);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ repId: '1', months: [1, 2], total: 3, version: 1, locked: false });
    expect(rows[0].probability).toBe(0.55);
    expect(rows[0].monthProbabilities).toEqual([0.5, 0.7]);
    expect(rows[1]).toMatchObject({ repName: 'Bo', total: 7, probability: null, locked: true, version: 2 });
    expect(rows[2]).toMatchObject({ suggestedTotal: 10, total: 11 });
  });

  it('handles an empty grid', () => {
    expect(gridRows({ ...grid, repIds: [], repNames: [], rankCodes: [], teamIds: [], values: [], suggested: [], probabilities: [], periodProbabilities: [], locked: [], versions: [] })).toEqual([]);
  });

  it('sums team totals', () => {
    expect([...teamTotals(gridRows(grid))]).toEqual([
      ['10', 10],
      ['11', 11],
    ]);
  });

  it('applies rebalanced targets and locks the edited rep', () => {
    const rows = gridRows(grid);
    const next = applyRebalanced(rows, [
      { repId: '1', total: 9, probability: 0.3, months: [4, 5], version: 7 },
      { repId: '2', total: 1, probability: 0.99, months: [0.5, 0.5], version: 8 },
    ], '1');
    expect(next[0]).toMatchObject({ total: 9, months: [4, 5], version: 7, locked: true });
    expect(next[0].probability).toBe(0.3);
    expect(next[1]).toMatchObject({ total: 1, version: 8, locked: true });
    expect(next[2]).toBe(rows[2]);
    expect(teamTotals(next).get('10')).toBe(10);
  });

  it('buckets probabilities and flags rows', () => {
    const rows = gridRows(grid);
    expect(probabilityHistogram(rows)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(rowFlags(rows[1])).toContain('locked');
    expect(rowFlags(rows[2])).toEqual(expect.arrayContaining(['easy', 'changed']));
  });
});
