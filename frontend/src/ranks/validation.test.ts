import { describe, expect, it } from 'vitest';
import { validateRankSettings, weightSum, type RankSettingsFormValues } from './validation';

const valid = (): RankSettingsFormValues => ({
  effectiveFrom: '2026-12-01',
  note: 'yearly review',
  promotionThreshold: 1.1,
  promotionQuarters: 2,
  minTenureMonths: 12,
  demotionThreshold: 0.7,
  demotionQuarters: 2,
  metrics: [
    { metricCode: 'revenue', metricName: 'Revenue', unit: 'CNY', isInteger: false, weight: 0.7, baseline: 100000, floorMultiplier: 0.6, ceilingMultiplier: 1.8 },
    { metricCode: 'new_customers', metricName: 'New customers', unit: '', isInteger: true, weight: 0.2, baseline: 2, floorMultiplier: 0.5, ceilingMultiplier: 2 },
    { metricCode: 'satisfaction', metricName: 'Satisfaction', unit: 'score', isInteger: false, weight: 0.1, baseline: 4, floorMultiplier: 1, ceilingMultiplier: 1 },
  ],
});

const keys = (values: RankSettingsFormValues) => validateRankSettings(values).map((i) => `${i.path.join('.')}:${i.key}`);

describe('validateRankSettings', () => {
  it('accepts weights that sum to one despite floating-point noise', () => {
    expect(weightSum(valid().metrics)).toBe(1);
    expect(validateRankSettings(valid())).toEqual([]);
  });

  it('rejects weights that do not sum to one', () => {
    const values = valid();
    values.metrics[0].weight = 0.6;
    expect(keys(values)).toEqual(['metrics:weightsSum']);
    expect(validateRankSettings(values)[0].params).toEqual({ sum: 0.9 });
  });

  it('rejects a floor above the ceiling', () => {
    const values = valid();
    values.metrics[1].floorMultiplier = 2.5;
    expect(keys(values)).toEqual(['metrics.1.floorMultiplier:floorAboveCeiling']);
  });

  it('accepts a floor equal to the ceiling', () => {
    const values = valid();
    values.metrics[0].floorMultiplier = 1.8;
    expect(validateRankSettings(values)).toEqual([]);
  });

  it('rejects a negative baseline', () => {
    const values = valid();
    values.metrics[2].baseline = -1;
    expect(keys(values)).toEqual(['metrics.2.baseline:baselineNegative']);
  });

  it('accepts a zero baseline', () => {
    const values = valid();
    values.metrics[1].baseline = 0;
    expect(validateRankSettings(values)).toEqual([]);
  });

  it('requires a note, a date and whole-number quarters', () => {
    const values = { ...valid(), note: '  ', effectiveFrom: null, promotionQuarters: 1.5 };
    expect(keys(values)).toEqual(['effectiveFrom:required', 'note:required', 'promotionQuarters:positiveInteger']);
  });

  it('requires the demotion threshold below the promotion threshold', () => {
    expect(keys({ ...valid(), demotionThreshold: 1.2 })).toEqual(['demotionThreshold:thresholdOrder']);
  });
});
