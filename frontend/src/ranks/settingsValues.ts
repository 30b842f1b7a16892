import dayjs from 'dayjs';
import type { MetricFieldsFragment, RankSettingsFieldsFragment, UpdateRankSettingsInput } from '../gql/graphql';
import type { RankSettingsFormValues } from './validation';

/** A new version takes effect today by default, never before the newest existing one. */
export function defaultEffectiveFrom(latest: string | undefined, today = dayjs()): string {
  const start = today.startOf('day');
  const latestStart = latest ? dayjs(latest) : undefined;
  return (latestStart && latestStart.isAfter(start) ? latestStart : start).format('YYYY-MM-DD');
}

/**
 * Start the editor from the newest version (which the new one supersedes); a rank with no
 * settings yet starts from the metric catalogue with the values left empty.
 */
export function toFormValues(
  settings: RankSettingsFieldsFragment | null | undefined,
  catalogue: readonly MetricFieldsFragment[],
  today = dayjs(),
): RankSettingsFormValues {
  const rows = settings
    ? settings.metrics.map((m) => ({
        metricCode: m.metric.code,
        metricName: m.metric.name,
        unit: m.metric.unit,
        isInteger: m.metric.isInteger,
        weight: m.weight,
        baseline: m.baseline,
        floorMultiplier: m.floorMultiplier,
        ceilingMultiplier: m.ceilingMultiplier,
      }))
    : catalogue.map((m) => ({
        metricCode: m.code,
        metricName: m.name,
        unit: m.unit,
        isInteger: m.isInteger,
        weight: null,
        baseline: null,
        floorMultiplier: null,
        ceilingMultiplier: null,
      }));
  return {
    effectiveFrom: defaultEffectiveFrom(settings?.effectiveFrom, today),
    note: '',
    promotionThreshold: settings?.promotionThreshold ?? null,
    promotionQuarters: settings?.promotionQuarters ?? null,
    minTenureMonths: settings?.minTenureMonths ?? null,
    demotionThreshold: settings?.demotionThreshold ?? null,
    demotionQuarters: settings?.demotionQuarters ?? null,
    metrics: rows,
  };
}

/** Form values (already validated) to the mutation input; expectedVersion guards lost updates. */
export function toMutationInput(
  rankId: string,
  expectedVersion: number,
  values: RankSettingsFormValues,
): UpdateRankSettingsInput {
  const num = (v: number | null) => v ?? 0;
  return {
    rankId,
    expectedVersion,
    effectiveFrom: values.effectiveFrom ?? dayjs().format('YYYY-MM-DD'),
    note: values.note.trim(),
    promotionThreshold: num(values.promotionThreshold),
    promotionQuarters: num(values.promotionQuarters),
    minTenureMonths: num(values.minTenureMonths),
    demotionThreshold: num(values.demotionThreshold),
    demotionQuarters: num(values.demotionQuarters),
    metrics: values.metrics.map((m) => ({
      metricCode: m.metricCode,
      weight: num(m.weight),
      baseline: num(m.baseline),
      floorMultiplier: num(m.floorMultiplier),
      ceilingMultiplier: num(m.ceilingMultiplier),
    })),
  };
}
