import { useTranslation } from 'react-i18next';
import { Chart } from '../../charts/Chart';
import { useFormat } from '../../i18n/format';
import { bandColors, bucketLabels, rankDistribution, type RankBuckets } from '../figures';

/** Per rank, the share of its reps in each band of attainment (100% stacked bars). */
export function RankDistributionChart({ ranks, edges, mode }: { ranks: RankBuckets[]; edges: number[]; mode: 'pace' | 'projected' }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const labels = bucketLabels(edges, fmt);
  const data = rankDistribution(ranks, mode, labels);
  const colors = bandColors(labels.length);
  const names = new Map(ranks.map((r) => [r.code, r.name]));
  return (
    <Chart
      testId="chart-rank-distribution"
      height={320}
      option={{
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (items: { dataIndex: number; seriesIndex: number; marker: string; seriesName: string }[]) => {
            const rank = data.categories[items[0]?.dataIndex ?? 0];
            const lines = items.map((p) => `${p.marker}${p.seriesName}: ${t('tracking.reps', { count: data.series[p.seriesIndex].counts[p.dataIndex] })} (${fmt.percent(data.series[p.seriesIndex].shares[p.dataIndex])})`);
            return [`${rank} ${names.get(rank) ?? ''}`, ...lines].join('<br/>');
          },
        },
        legend: { bottom: 0, itemWidth: 14, itemGap: 8 },
        grid: { left: 48, right: 16, top: 16, bottom: 72 },
        xAxis: { type: 'category', data: data.categories },
        yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => fmt.percent(v) } },
        series: data.series.map((s, i) => ({ name: s.name, type: 'bar', stack: 'share', data: s.shares, itemStyle: { color: colors[i] }, barMaxWidth: 56 })),
      }}
    />
  );
}
