import type { TFunction } from 'i18next';
import type { AlertFieldsFragment } from '../gql/graphql';
import type { Formatters } from '../i18n/format';

type Figures = AlertFieldsFragment['figures'];
type Rule = AlertFieldsFragment['rule'];

/** Either of two figures, the first that is a number. */
function either(...values: (number | null | undefined)[]): number | null {
  for (const value of values) if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return null;
}

/**
 * What an alert's figures mean, in one sentence in the chosen language, per rule kind:
 * "Behind pace 3 weeks in a row (pace 72% < 90%)". The rule's own parameters fill a figure
 * the evaluator left out; with neither, the rule's name stands alone.
 */
export function figureSentence(alert: { figures: Figures; rule?: Rule | null }, t: TFunction, fmt: Formatters): string {
  const { figures, rule } = alert;
  const params = rule?.params;
  const pct = (value: number | null) => fmt.percent(value);
  switch (rule?.kind) {
    case 'BEHIND_PACE': {
      const count = either(figures.periodsBehind, params?.periods) ?? 0;
      const values = { count, pace: pct(either(figures.pace, figures.value)), threshold: pct(either(figures.threshold, params?.threshold)) };
      return params?.grain === 'MONTH' ? t('alerts.figure.behindPaceMonths', values) : t('alerts.figure.behindPaceWeeks', values);
    }
    case 'PEER_GAP':
      return t('alerts.figure.peerGap', {
        attainment: pct(either(figures.attainment, figures.value)),
        k: fmt.number(params?.k ?? null, 2),
        threshold: pct(figures.threshold ?? null),
      });
    case 'LOW_PROBABILITY':
      return t('alerts.figure.lowProbability', {
        probability: pct(either(figures.probability, figures.value)),
        threshold: pct(either(figures.threshold, params?.below)),
      });
    case 'LOW_PROJECTION':
      return t('alerts.figure.lowProjection', {
        projected: pct(either(figures.projectedAttainment, figures.value)),
        threshold: pct(either(figures.threshold, params?.below)),
      });
    case 'INACTIVITY':
      return t('alerts.figure.inactivity', {
        count: either(figures.daysInactive, figures.value) ?? 0,
        days: fmt.number(either(figures.threshold, params?.days), 0),
      });
    default:
      return rule?.name ?? t('alerts.figure.unknown');
  }
}

/** The other figures of an alert worth a glance, as label/value pairs (missing ones left out). */
export function figureDetails(figures: Figures, t: TFunction, fmt: Formatters): { label: string; value: string }[] {
  const rows: [string, number | null | undefined, (v: number) => string][] = [
    [t('alerts.figures.attainment'), figures.attainment, (v) => fmt.percent(v)],
    [t('alerts.figures.pace'), figures.pace, (v) => fmt.percent(v)],
    [t('alerts.figures.probability'), figures.probability, (v) => fmt.percent(v)],
    [t('alerts.figures.projectedAttainment'), figures.projectedAttainment, (v) => fmt.percent(v)],
    [t('alerts.figures.daysInactive'), figures.daysInactive, (v) => fmt.number(v, 0)],
  ];
  const out = rows.filter(([, value]) => typeof value === 'number').map(([label, value, show]) => ({ label, value: show(value as number) }));
  if (figures.asOf) out.push({ label: t('alerts.figures.asOf'), value: fmt.date(figures.asOf) });
  return out;
}
