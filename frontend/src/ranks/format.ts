/** Attainment thresholds arrive as ratios (1.1 = 110%); tolerate a percentage too. */
export function attainmentPercent(value: number): number {
  return Math.abs(value) <= 10 ? Math.round(value * 1000) / 10 : value;
}

export function formatMetricValue(value: number, locale: string, opts: { isInteger?: boolean } = {}): string {
  const digits = opts.isInteger || Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 2 : 3;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

export function formatWeight(weight: number): string {
  return `${Math.round(weight * 1000) / 10}%`;
}
