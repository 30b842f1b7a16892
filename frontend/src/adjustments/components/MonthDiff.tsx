import type { HTMLAttributes } from 'react';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../charts/Chart';
import { useFormat } from '../../i18n/format';
import type { MonthDiffRow } from '../proposal';

/** The subject's months before and as proposed: a bar chart to look at, a table to read. */
export function MonthDiff({ rows }: { rows: MonthDiffRow[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div data-testid="month-diff">
      <Chart
        testId="chart-month-diff"
        height={240}
        option={{
          tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.amount(v) },
          legend: { bottom: 0 },
          grid: { left: 56, right: 12, top: 12, bottom: 48 },
          xAxis: { type: 'category', data: rows.map((r) => fmt.month(r.month)) },
          yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.amount(v) } },
          series: [
            { name: t('adjustments.before'), type: 'bar', data: rows.map((r) => r.before), itemStyle: { color: '#c6d4ff' }, barMaxWidth: 20 },
            { name: t('adjustments.proposed'), type: 'bar', data: rows.map((r) => r.after), itemStyle: { color: '#1f5eff' }, barMaxWidth: 20 },
          ],
        }}
      />
      <Table<MonthDiffRow>
        rowKey="month"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        onRow={() => ({ 'data-testid': 'month-diff-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('adjustments.month'), render: (_, r) => fmt.month(r.month) },
          { title: t('adjustments.before'), align: 'right', render: (_, r) => fmt.number(r.before, 2) },
          { title: t('adjustments.proposed'), align: 'right', render: (_, r) => (r.changed ? <Typography.Text strong>{fmt.number(r.after, 2)}</Typography.Text> : fmt.number(r.after, 2)) },
          {
            title: t('adjustments.change'),
            align: 'right',
            render: (_, r) => (Math.abs(r.delta) > 1e-9 ? <Typography.Text type={r.delta < 0 ? 'success' : 'warning'}>{`${r.delta > 0 ? '+' : ''}${fmt.number(r.delta, 2)}`}</Typography.Text> : '—'),
          },
        ]}
      />
    </div>
  );
}
