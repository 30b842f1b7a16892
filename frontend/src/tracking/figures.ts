import type { Formatters } from '../i18n/format';

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export const TONE_COLORS: Record<Tone, string> = { good: '#389e0d', warn: '#d48806', bad: '#cf1322', neutral: 'inherit' };

/** On pace at 100% of what the targets' phasing expects to date; within 10% is near. */
export function paceTone(pace: number | null | undefined): Tone {
  if (pace === null || pace === undefined) return 'neutral';
  if (pace >= 1) return 'good';
  return pace >= 0.9 ? 'warn' : 'bad';
}

/** P(achieve | actuals so far): below 0.3 is at risk (the dashboard's own line), below 0.5 a worry. */
export function probabilityTone(p: number | null | undefined): Tone {
  if (p === null || p === undefined) return 'neutral';
  if (p < 0.3) return 'bad';
  return p < 0.5 ? 'warn' : 'good';
}

/**
 * The share projected to reach target against the plan's design point: the difference in
 * percentage points, and whether that is good news (more reps expected to make it than planned).
 */
export function designGap(share: number | null | undefined, designPoint: number | null | undefined): { points: number; tone: Tone } | null {
  if (share === null || share === undefined || designPoint === null || designPoint === undefined) return null;
  const points = Math.round((share - designPoint) * 100);
  return { points, tone: points >= 0 ? 'good' : points >= -10 ? 'warn' : 'bad' };
}

/** Band labels from the histogram edges (1.0 = 100%): "< 50%", "50–70%", …, "≥ 130%". */
export function bucketLabels(edges: readonly number[], fmt: Pick<Formatters, 'percent'>): string[] {
  if (edges.length === 0) return [];
  const pct = (v: number) => fmt.percent(v);
  const inner = edges.slice(1).map((edge, i) => `${pct(edges[i])}–${pct(edge)}`);
  return [`< ${pct(edges[0])}`, ...inner, `≥ ${pct(edges[edges.length - 1])}`];
}

// Low bands red to orange, around target gold to green, far above blue.
const BAND_COLORS = ['#cf1322', '#fa541c', '#fa8c16', '#fadb14', '#95de64', '#389e0d', '#1677ff'];

/** A colour per band, from the reddest (furthest below) to blue (far above). */
export function bandColors(count: number): string[] {
  if (count <= BAND_COLORS.length) return BAND_COLORS.slice(BAND_COLORS.length - count);
  return Array.from({ length: count }, (_, i) => BAND_COLORS[Math.round((i * (BAND_COLORS.length - 1)) / (count - 1))]);
}

export interface RankBuckets {
  code: string;
  name: string;
  level: number;
  paceBuckets: number[];
  projectedBuckets: number[];
}

/**
 * The attainment distribution per rank as stacked series: one series per band, one value per
 * rank (most junior first), the share of the rank's reps in that band (counts in `counts`).
 */
export function rankDistribution(ranks: readonly RankBuckets[], mode: 'pace' | 'projected', labels: readonly string[]) {
  const ordered = [...ranks].sort((a, b) => a.level - b.level);
  const rows = ordered.map((r) => (mode === 'pace' ? r.paceBuckets : r.projectedBuckets));
  const totals = rows.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    categories: ordered.map((r) => r.code),
    series: labels.map((name, band) => ({
      name,
      counts: rows.map((row) => row[band] ?? 0),
      shares: rows.map((row, i) => (totals[i] ? (row[band] ?? 0) / totals[i] : 0)),
    })),
  };
}

export interface WeekLike {
  start: string;
  actual: number;
  expected: number;
  cumulativeActual: number;
  cumulativeExpected: number;
}

/** Weekly series for the trend chart, labelled by each week's Monday. */
export function weeklyTrend(weeks: readonly WeekLike[], fmt: Pick<Formatters, 'date'>) {
  const ordered = [...weeks].sort((a, b) => a.start.localeCompare(b.start));
  return {
    labels: ordered.map((w) => fmt.date(w.start)),
    actual: ordered.map((w) => w.actual),
    expected: ordered.map((w) => w.expected),
    cumulativeActual: ordered.map((w) => w.cumulativeActual),
    cumulativeExpected: ordered.map((w) => w.cumulativeExpected),
  };
}

/** The share of the period elapsed, 0-1. */
export function elapsedShare(elapsedMonths: number, periodMonths: number): number {
  if (periodMonths <= 0) return 0;
  return Math.min(1, Math.max(0, elapsedMonths / periodMonths));
}

/** A probability as people read it: "< 1%" rather than "0%", one decimal below 10%. */
export function formatProbability(p: number | null | undefined, fmt: Pick<Formatters, 'percent'>): string {
  if (p === null || p === undefined || Number.isNaN(p)) return fmt.percent(null);
  if (p > 0 && p < 0.01) return `< ${fmt.percent(0.01)}`;
  return fmt.percent(p, p < 0.1 ? 1 : 0);
}
