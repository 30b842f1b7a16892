import { describe, expect, it } from 'vitest';
import { draftProblems, mayRespond, ratingSeries, summaryTotals, toggleTag } from './feedback';

describe('draftProblems', () => {
  it('asks for a rating', () => {
    expect(draftProblems({ rating: null, tags: [], comment: '' })).toEqual(['rating']);
  });

  it('requires a comment when the target is unreachable', () => {
    expect(draftProblems({ rating: 'UNREACHABLE', tags: [], comment: '  ' })).toEqual(['commentRequired']);
    expect(draftProblems({ rating: 'UNREACHABLE', tags: [], comment: 'lost our biggest customer' })).toEqual([]);
  });

  it('accepts a fair rating with no comment', () => {
    expect(draftProblems({ rating: 'FAIR', tags: ['MARKET'], comment: '' })).toEqual([]);
  });

  it('refuses comments over 2000 characters and more than five tags', () => {
    const problems = draftProblems({ rating: 'TOO_HIGH', tags: ['MARKET', 'TEAM', 'OTHER', 'PRODUCT', 'PIPELINE', 'HISTORY'], comment: 'x'.repeat(2001) });
    expect(problems).toEqual(['tooLong', 'tooManyTags']);
  });
});

describe('toggleTag', () => {
  it('adds and removes a tag', () => {
    expect(toggleTag(['MARKET'], 'TEAM')).toEqual(['MARKET', 'TEAM']);
    expect(toggleTag(['MARKET', 'TEAM'], 'MARKET')).toEqual(['TEAM']);
  });

  it('ignores a sixth tag', () => {
    const five = ['MARKET', 'TEAM', 'OTHER', 'PRODUCT', 'PIPELINE'] as const;
    expect(toggleTag(five, 'HISTORY')).toEqual([...five]);
  });
});

describe('mayRespond', () => {
  const item = { author: 'rep', response: null };

  it('lets a decider respond to someone else’s open feedback', () => {
    expect(mayRespond(['decide_adjustments'], 'lead', item)).toBe(true);
  });

  it('never to their own, to answered feedback, or without the action', () => {
    expect(mayRespond(['decide_adjustments'], 'rep', item)).toBe(false);
    expect(mayRespond(['decide_adjustments'], 'lead', { author: 'rep', response: 'ok' })).toBe(false);
    expect(mayRespond(['request_adjustments'], 'lead', item)).toBe(false);
    expect(mayRespond(['decide_adjustments'], undefined, item)).toBe(false);
  });
});

const groups = [
  { key: 'rank:1', label: 'S1', count: 4, tooLow: 1, fair: 1, tooHigh: 1, unreachable: 1, respondedShare: 0.5 },
  { key: 'rank:2', label: 'S2', count: 1, tooLow: 0, fair: 0, tooHigh: 1, unreachable: 0, respondedShare: 1 },
];

describe('ratingSeries', () => {
  it('gives one series per rating over the groups', () => {
    expect(ratingSeries(groups)).toEqual([
      { rating: 'TOO_LOW', data: [1, 0] },
      { rating: 'FAIR', data: [1, 0] },
      { rating: 'TOO_HIGH', data: [1, 1] },
      { rating: 'UNREACHABLE', data: [1, 0] },
    ]);
  });
});

describe('summaryTotals', () => {
  it('adds up the groups and weighs the responded share by their counts', () => {
    expect(summaryTotals(groups)).toEqual({ count: 5, shareTooHigh: 3 / 5, respondedShare: 3 / 5 });
  });

  it('has no shares without feedback', () => {
    expect(summaryTotals([])).toEqual({ count: 0, shareTooHigh: null, respondedShare: null });
  });
});
