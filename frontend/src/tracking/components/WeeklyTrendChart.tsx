import { useTranslation } from 'react-i18next';
import { Chart } from '../../charts/Chart';
import { useFormat } from '../../i18n/format';
import { weeklyTrend, type WeekLike } from '../figures';

/** Each week's actual against what the targets' phasing expected, and both summed to date. */
export function WeeklyTrendChart({ weeks }: { weeks: WeekLike[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const data = weeklyTrend(weeks, fmt);
  const amount = (v: number) => fmt.amount(v);
  return (
    <Chart
      testId="chart-weekly-trend"
      height={300}
      option={{
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => amount(v) },
        legend: { bottom: 0 },
        grid: { left: 56, right: 56, top: 16, bottom: 84 },
        xAxis: { type: 'category', data: data.labels, axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: 'value', axisLabel: { formatter: amount } },
          { type: 'value', axisLabel: { formatter: amount }, splitLine: { show: false } },
        ],
        series: [
          { name: t('tracking.weeklyActual'), type: 'bar', data: data.actual, itemStyle: { color: '#1f5eff' }, barMaxWidth: 24 },
          { name: t('tracking.weeklyExpected'), type: 'bar', data: data.expected, itemStyle: { color: '#c6d4ff' }, barMaxWidth: 24 },
          { name: t('tracking.cumulativeActual'), type: 'line', yAxisIndex: 1, data: data.cumulativeActual, itemStyle: { color: '#389e0d' }, symbolSize: 6 },
          { name: t('tracking.cumulativeExpected'), type: 'line', yAxisIndex: 1, data: data.cumulativeExpected, lineStyle: { type: 'dashed' }, itemStyle: { color: '#8c8c8c' }, symbolSize: 4 },
        ],
      }}
    />
  );
}
