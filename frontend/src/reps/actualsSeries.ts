export interface ActualPoint {
  month: string;
  metricCode: string;
  value: number;
}

/** Month keys (YYYY-MM) from the first to the last month present, with no gaps. */
export function monthAxis(points: readonly ActualPoint[]): string[] {
  if (points.length === 0) return [];
  const keys = points.map((p) => p.month.slice(0, 7)).sort();
  const [startYear, startMonth] = keys[0].split('-').map(Number);
  const [endYear, endMonth] = keys[keys.length - 1].split('-').map(Number);
  const axis: string[] = [];
  for (let y = startYear, m = startMonth; y < endYear || (y === endYear && m <= endMonth); ) {
    axis.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return axis;
}

/** One series per metric on a shared month axis; a missing month is null (a gap, not a zero). */
export function seriesByMetric(points: readonly ActualPoint[], lastMonths?: number) {
  const fullAxis = monthAxis(points);
  const axis = lastMonths ? fullAxis.slice(-lastMonths) : fullAxis;
  const byMetric = new Map<string, Map<string, number>>();
  for (const p of points) {
    const series = byMetric.get(p.metricCode) ?? new Map<string, number>();
    series.set(p.month.slice(0, 7), p.value);
    byMetric.set(p.metricCode, series);
  }
  const series = new Map<string, (number | null)[]>();
  for (const [code, values] of byMetric) series.set(code, axis.map((month) => values.get(month) ?? null));
  return { axis, series };
}
