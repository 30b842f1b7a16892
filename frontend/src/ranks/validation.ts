import type { Messages } from '../i18n/locales/en';

export interface MetricSettingValues {
  metricCode: string;
  metricName: string;
  unit: string;
  isInteger: boolean;
  weight: number | null;
  baseline: number | null;
  floorMultiplier: number | null;
  ceilingMultiplier: number | null;
}

export interface RankSettingsFormValues {
  effectiveFrom: string | null;
  note: string;
  promotionThreshold: number | null;
  promotionQuarters: number | null;
  minTenureMonths: number | null;
  demotionThreshold: number | null;
  demotionQuarters: number | null;
  metrics: MetricSettingValues[];
}

export type ValidationKey = keyof Messages['ranks']['validation'];

export interface ValidationIssue {
  path: (string | number)[];
  key: ValidationKey;
  params?: Record<string, string | number>;
}

export const WEIGHT_TOLERANCE = 1e-6;

const isMissing = (value: unknown) => value === null || value === undefined || value === '';

/** Sum of weights, rounded to hide floating-point noise (0.1 + 0.2). */
export function weightSum(metrics: readonly Pick<MetricSettingValues, 'weight'>[]): number {
  const sum = metrics.reduce((acc, m) => acc + (typeof m.weight === 'number' ? m.weight : 0), 0);
  return Math.round(sum * 1e9) / 1e9;
}

export function weightsSumToOne(metrics: readonly Pick<MetricSettingValues, 'weight'>[]): boolean {
  return Math.abs(weightSum(metrics) - 1) <= WEIGHT_TOLERANCE;
}

/** Rules for one metric row: weight in [0, 1], baseline >= 0, 0 <= floor <= ceiling. */
export function validateMetricSetting(row: MetricSettingValues, index: number): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (field: keyof MetricSettingValues) => ['metrics', index, field];
  for (const field of ['weight', 'baseline', 'floorMultiplier', 'ceilingMultiplier'] as const) {
    if (isMissing(row[field])) issues.push({ path: at(field), key: 'required' });
  }
  if (row.weight !== null && (row.weight < 0 || row.weight > 1)) issues.push({ path: at('weight'), key: 'weightRange' });
  if (row.baseline !== null && row.baseline < 0) issues.push({ path: at('baseline'), key: 'baselineNegative' });
  if (row.floorMultiplier !== null && row.floorMultiplier < 0)
    issues.push({ path: at('floorMultiplier'), key: 'multiplierNegative' });
  if (row.ceilingMultiplier !== null && row.ceilingMultiplier < 0)
    issues.push({ path: at('ceilingMultiplier'), key: 'multiplierNegative' });
  if (row.floorMultiplier !== null && row.ceilingMultiplier !== null && row.floorMultiplier > row.ceilingMultiplier)
    issues.push({ path: at('floorMultiplier'), key: 'floorAboveCeiling' });
  return issues;
}

/**
 * Every rule the API also enforces, checked before sending so a person sees them at once.
 *
 * @example validateRankSettings({...values, metrics: [{...m, weight: 0.5}]})
 *   // => [{ path: ['metrics'], key: 'weightsSum', params: { sum: 0.5 } }]
 */
export function validateRankSettings(values: RankSettingsFormValues): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!values.effectiveFrom) issues.push({ path: ['effectiveFrom'], key: 'required' });
  if (!values.note.trim()) issues.push({ path: ['note'], key: 'required' });
  for (const field of ['promotionQuarters', 'minTenureMonths', 'demotionQuarters'] as const) {
    const value = values[field];
    if (isMissing(value)) issues.push({ path: [field], key: 'required' });
    else if (!Number.isInteger(value) || (value as number) < 0) issues.push({ path: [field], key: 'positiveInteger' });
  }
  for (const field of ['promotionThreshold', 'demotionThreshold'] as const) {
    if (isMissing(values[field])) issues.push({ path: [field], key: 'required' });
  }
  if (
    values.promotionThreshold !== null &&
    values.demotionThreshold !== null &&
    values.demotionThreshold >= values.promotionThreshold
  ) {
    issues.push({ path: ['demotionThreshold'], key: 'thresholdOrder' });
  }
  values.metrics.forEach((row, index) => issues.push(...validateMetricSetting(row, index)));
  if (values.metrics.length > 0 && !weightsSumToOne(values.metrics)) {
    issues.push({ path: ['metrics'], key: 'weightsSum', params: { sum: weightSum(values.metrics) } });
  }
  return issues;
}
