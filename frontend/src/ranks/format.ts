/** Attainment thresholds arrive as ratios (1.1 = 110%); tolerate a percentage too. */
export function attainmentPercent(value: number): number {
  return Math.abs(value) <= 10 ? Math.round(value * 1000) / 10 : value;
}

/** Percent metrics are stored as ratios (0.75); a value above 5 must already be a percentage. */
export function isRatioPercent(unit: string | undefined, values: readonly (number | null)[]): boolean {
  return unit === '%' && values.every((v) => v === null || Math.abs(v) <= 5);
}

export function formatMetricValue(
  value: number,
  locale: string,
  opts: { isInteger?: boolean; unit?: string } = {},
): string {
  if (isRatioPercent(opts.unit, [value])) {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  }
  // An integer metric's baseline is a monthly average (0.9 new customers), so keep its decimals.
  const digits = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 2 : 3;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

export function formatWeight(weight: number): string {
  return `${Math.round(weight * 1000) / 10}%`;
}
