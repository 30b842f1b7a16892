import { Chart } from '../../charts/Chart';

interface RankCount {
  code: string;
  name: string;
  level: number;
  repCount: number;
}

export function RepsByRankChart({ ranks, seriesName }: { ranks: RankCount[]; seriesName: string }) {
  const ordered = [...ranks].sort((a, b) => a.level - b.level);
  return (
    <Chart
      testId="chart-reps-by-rank"
      height={280}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 24, bottom: 52 },
        xAxis: { type: 'category', data: ordered.map((r) => `${r.code}\n${r.name}`), axisLabel: { interval: 0, lineHeight: 16, width: 92, overflow: 'truncate' } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: seriesName,
            type: 'bar',
            data: ordered.map((r) => r.repCount),
            barMaxWidth: 48,
            itemStyle: { color: '#1f5eff', borderRadius: [4, 4, 0, 0] },
            label: { show: true, position: 'top' },
          },
        ],
      }}
    />
  );
}
