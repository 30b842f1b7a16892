import { Card, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MetricComparisonFieldsFragment } from '../../gql/graphql';
import { formatAmount, formatProbability } from '../format';

export type MetricComparisonData = MetricComparisonFieldsFragment;

/** One metric in two scenarios: goals, per-rank sums and mean P, per-rep deltas (b - a). */
export function MetricComparisonCard({ m }: { m: MetricComparisonData }) {
  const { t } = useTranslation();
  return (
    <Card title={m.metricCode} size="small" data-testid={`compare-metric-${m.metricCode}`}>
      <Space size={32} style={{ marginBottom: 12 }}>
        <Statistic title={`${t('plans.goal')} A`} value={formatAmount(m.goalA)} />
        <Statistic title={`${t('plans.goal')} B`} value={formatAmount(m.goalB)} />
        <Statistic title={t('plans.commonP')} value={formatProbability(m.commonProbability)} />
      </Space>
      <Table
        size="small"
        rowKey="rankCode"
        pagination={false}
        data-testid="compare-ranks"
        dataSource={m.ranks}
        columns={[
          { title: t('plans.rank'), dataIndex: 'rankCode' },
          { title: t('plans.reps'), dataIndex: 'reps', align: 'right' },
          { title: 'A', dataIndex: 'a', align: 'right', render: formatAmount },
          { title: 'B', dataIndex: 'b', align: 'right', render: formatAmount },
          { title: `${t('plans.meanP')} A`, dataIndex: 'meanProbabilityA', render: formatProbability },
          { title: `${t('plans.meanP')} B`, dataIndex: 'meanProbabilityB', render: formatProbability },
        ]}
      />
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="repId"
        data-testid="compare-reps"
        virtual
        scroll={{ y: 360 }}
        pagination={false}
        dataSource={m.reps}
        columns={[
          { title: t('plans.rep'), dataIndex: 'repName' },
          { title: t('plans.rank'), dataIndex: 'rankCode', width: 80 },
          { title: 'A', dataIndex: 'a', align: 'right', render: formatAmount },
          { title: 'B', dataIndex: 'b', align: 'right', render: formatAmount },
          {
            title: 'Δ',
            dataIndex: 'delta',
            align: 'right',
            sorter: (x, y) => x.delta - y.delta,
            render: (d: number) => <Typography.Text type={d > 0 ? 'warning' : d < 0 ? 'success' : undefined}>{formatAmount(d)}</Typography.Text>,
          },
          { title: 'P A', dataIndex: 'probabilityA', render: formatProbability },
          { title: 'P B', dataIndex: 'probabilityB', render: formatProbability },
        ]}
      />
    </Card>
  );
}
