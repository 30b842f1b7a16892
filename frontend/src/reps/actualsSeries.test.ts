import { describe, expect, it } from 'vitest';
import { monthAxis, seriesByMetric } from './actualsSeries';

const p = (month: string, metricCode: string, value: number) => ({ month, metricCode, value });

describe('monthAxis', () => {
  it('covers every month from first to last across a year end', () => {
    expect(monthAxis([p('2025-11-01', 'revenue', 1), p('2026-02-01', 'revenue', 2)])).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });

  it('is empty without data', () => {
    expect(monthAxis([])).toEqual([]);
  });
});

describe('seriesByMetric', () => {
  const points = [p('2026-01-01', 'revenue', 10), p('2026-03-01', 'revenue', 30), p('2026-03-01', 'satisfaction', 4.5)];

  it('leaves a missing month as a gap, not a zero', () => {
    const { axis, series } = seriesByMetric(points);
    expect(axis).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(series.get('revenue')).toEqual([10, null, 30]);
    expect(series.get('satisfaction')).toEqual([null, null, 4.5]);
  });

  it('keeps only the last months when asked', () => {
    const { axis, series } = seriesByMetric(points, 2);
    expect(axis).toEqual(['2026-02', '2026-03']);
    expect(series.get('revenue')).toEqual([null, 30]);
  });
});
