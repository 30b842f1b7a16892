import { describe, expect, it } from 'vitest';
import { absorbedBy, monthDiff, offersSameDifficulty, roundTotal, totalDelta } from './proposal';

const move = (totalBefore: number, totalAfter: number) => ({ totalBefore, totalAfter });

describe('monthDiff', () => {
  const proposal = {
    months: ['2026-01-01', '2026-02-01', '2026-03-01'],
    effectiveMonth: '2026-02-01',
    subject: { before: [100, 100, 100], after: [100, 70, 70] },
  };

  it('puts each month before and after side by side with the change', () => {
    expect(monthDiff(proposal).map((r) => [r.before, r.after, r.delta])).toEqual([
      [100, 100, 0],
      [100, 70, -30],
      [100, 70, -30],
    ]);
  });

  it('marks the months from the effective month on as changed', () => {
    expect(monthDiff(proposal).map((r) => r.changed)).toEqual([false, true, true]);
  });

  it('keeps the before value when the after list is short', () => {
    expect(monthDiff({ ...proposal, subject: { before: [1, 2, 3], after: [1] } }).map((r) => r.after)).toEqual([1, 2, 3]);
  });
});

describe('absorbedBy', () => {
  it('counts the teammates who move and adds up how much they take', () => {
    expect(absorbedBy([move(100, 110), move(50, 70), move(80, 80)])).toEqual({ count: 2, total: 30 });
  });

  it('does not count a rounding-sized move', () => {
    expect(absorbedBy([move(1296000, 1296000.0000114), move(100, 90)])).toEqual({ count: 1, total: -10 });
  });

  it('says nobody absorbs an empty list', () => {
    expect(absorbedBy([])).toEqual({ count: 0, total: 0 });
  });

  it('reads a lower total as a negative change', () => {
    expect(totalDelta(move(100, 60))).toBe(-40);
  });
});

describe('offersSameDifficulty', () => {
  it('offers a known total that differs from the one asked', () => {
    expect(offersSameDifficulty(900, 800)).toBe(true);
    expect(offersSameDifficulty(900, null)).toBe(true);
  });

  it('does not offer a missing total or the one already asked', () => {
    expect(offersSameDifficulty(null, 800)).toBe(false);
    expect(offersSameDifficulty(800, 800)).toBe(false);
  });
});

describe('roundTotal', () => {
  it('keeps whole amounts for big totals and cents for small ones', () => {
    expect(roundTotal(123456.78)).toBe(123457);
    expect(roundTotal(12.345)).toBe(12.35);
  });
});
