import { describe, expect, it } from 'vitest';
import { apiLocale, groupRelaxations, type Relaxation } from './relaxations';

function relaxation(family: Relaxation['family'], situation: string): Relaxation {
  return {
    family,
    side: 'UPPER',
    scope: 'REP',
    metricCode: 'revenue',
    repId: '1',
    repName: 'Lu Yu',
    rankCode: 'S6',
    orgUnitId: null,
    nodeName: null,
    amount: 1,
    share: 0.1,
    reps: 1,
    situation,
    action: 'raise the ceiling',
  };
}

describe('groupRelaxations', () => {
  it('groups by family in priority order, keeping the order within a family', () => {
    const groups = groupRelaxations([relaxation('CAP', 'c1'), relaxation('RANK', 'r1'), relaxation('CAP', 'c2')]);
    expect(groups.map((g) => [g.family, g.items.map((r) => r.situation)])).toEqual([
      ['RANK', ['r1']],
      ['CAP', ['c1', 'c2']],
    ]);
  });

  it('gives no group when nothing had to give', () => {
    expect(groupRelaxations([])).toEqual([]);
  });
});

describe('apiLocale', () => {
  it('maps Chinese to ZH_CN and everything else to EN', () => {
    expect(apiLocale('zh-CN')).toBe('ZH_CN');
    expect(apiLocale('en')).toBe('EN');
    expect(apiLocale('en-GB')).toBe('EN');
  });
});
