import { Chart } from '../../charts/Chart';
import type { MetricKind } from '../../gql/graphql';
import { isRatioPercent } from '../../ranks/format';

interface Props {
  metricCode: string;
  metricName: string;
  unit: string;
  kind: MetricKind;
  axis: string[];
  values: (number | null)[];
  locale: string;
}

/** Additive metrics as bars (they sum over months), ratios as a line (they do not). */
export function ActualsChart({ metricCode, metricName, unit, kind, axis, values, locale }: Props) {
  const percent = isRatioPercent(unit, values);
  const compact = percent
    ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })
    : new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 });
  const full = percent
    ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
    : new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const suffix = unit && !percent ? ` ${unit}` : '';
  const isBar = kind === 'ADDITIVE';
  return (
    <Chart
      testId={`actuals-chart-${metricCode}`}
      height={240}
      option={{
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: unknown) => (typeof v === 'number' ? `${full.format(v)}${suffix}` : '—'),
        },
        grid: { left: 56, right: 16, top: 28, bottom: 28 },
        xAxis: { type: 'category', data: axis, axisLabel: { hideOverlap: true } },
        yAxis: {
          type: 'value',
          name: percent ? '' : unit,
          nameTextStyle: { align: 'left' },
          scale: !isBar,
          axisLabel: { formatter: (v: number) => compact.format(v) },
        },
        series: [
          {
            name: metricName,
            type: isBar ? 'bar' : 'line',
            data: values,
            connectNulls: false,
            smooth: false,
            showSymbol: !isBar,
            barMaxWidth: 24,
            itemStyle: { color: isBar ? '#1f5eff' : '#13a8a8' },
          },
        ],
      }}
    />
  );
}
