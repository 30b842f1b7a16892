import { describe, expect, it } from 'vitest';
import { formattersFor } from '../i18n/format';
import { bandColors, bucketLabels, designGap, elapsedShare, formatProbability, paceTone, probabilityTone, rankDistribution, weeklyTrend } from './figures';

const en = formattersFor('en');

describe('tones', () => {
  it('call a pace on target good, within 10% a warning and below that bad', () => {
    expect([paceTone(1.02), paceTone(0.95), paceTone(0.7), paceTone(null)]).toEqual(['good', 'warn', 'bad', 'neutral']);
  });

  it('call a chance below 30% at risk', () => {
    expect([probabilityTone(0.2), probabilityTone(0.4), probabilityTone(0.8)]).toEqual(['bad', 'warn', 'good']);
  });
});

describe('designGap', () => {
  it('compares the share projected to reach target with the design point in points', () => {
    expect(designGap(0.55, 0.5)).toEqual({ points: 5, tone: 'good' });
    expect(designGap(0.42, 0.5)).toEqual({ points: -8, tone: 'warn' });
    expect(designGap(0.2, 0.5)).toEqual({ points: -30, tone: 'bad' });
    expect(designGap(null, 0.5)).toBeNull();
  });
});

describe('bucketLabels', () => {
  it('name one band more than there are edges', () => {
    expect(bucketLabels([0.5, 0.7, 0.9, 1.0, 1.1, 1.3], en)).toEqual(['< 50%', '50%–70%', '70%–90%', '90%–100%', '100%–110%', '110%–130%', '≥ 130%']);
    expect(bucketLabels([], en)).toEqual([]);
  });

  it('give a colour per band', () => {
    expect(bandColors(7)).toHaveLength(7);
    expect(bandColors(3)).toEqual(['#95de64', '#389e0d', '#1677ff']);
  });
});

describe('rankDistribution', () => {
  const ranks = [
    { code: 'S2', name: 'Senior', level: 2, paceBuckets: [1, 3], projectedBuckets: [0, 4] },
    { code: 'S1', name: 'Junior', level: 1, paceBuckets: [2, 2], projectedBuckets: [1, 3] },
  ];

  it('orders ranks junior first and gives each band its count and share of the rank', () => {
    const d = rankDistribution(ranks, 'pace', ['below', 'above']);
    expect(d.categories).toEqual(['S1', 'S2']);
    expect(d.series).toEqual([
      { name: 'below', counts: [2, 1], shares: [0.5, 0.25] },
      { name: 'above', counts: [2, 3], shares: [0.5, 0.75] },
    ]);
  });

  it('reads the projected bands when asked, and a rank without reps as zero', () => {
    const d = rankDistribution([...ranks, { code: 'S3', name: 'Lead', level: 3, paceBuckets: [0, 0], projectedBuckets: [0, 0] }], 'projected', ['below', 'above']);
    expect(d.series[1].counts).toEqual([3, 4, 0]);
    expect(d.series[1].shares[2]).toBe(0);
  });
});

describe('weeklyTrend and elapsedShare', () => {
  it('puts weeks in order, labelled by their Monday', () => {
    const t = weeklyTrend(
      [
        { start: '2026-11-09', actual: 5, expected: 6, cumulativeActual: 15, cumulativeExpected: 16 },
        { start: '2026-11-02', actual: 10, expected: 10, cumulativeActual: 10, cumulativeExpected: 10 },
      ],
      en,
    );
    expect(t.labels).toEqual(['Nov 2, 2026', 'Nov 9, 2026']);
    expect(t.cumulativeActual).toEqual([10, 15]);
  });

  it('bounds the share of the period elapsed', () => {
    expect(elapsedShare(4.5, 12)).toBe(0.375);
    expect(elapsedShare(13, 12)).toBe(1);
    expect(elapsedShare(1, 0)).toBe(0);
  });
});

describe('formatProbability', () => {
  it('keeps a decimal for small chances and never shows a positive one as 0%', () => {
    expect(formatProbability(0.456, en)).toBe('46%');
    expect(formatProbability(0.034, en)).toBe('3.4%');
    expect(formatProbability(0.0004, en)).toBe('< 1%');
    expect(formatProbability(0, en)).toBe('0%');
    expect(formatProbability(null, en)).toBe('—');
  });
});
