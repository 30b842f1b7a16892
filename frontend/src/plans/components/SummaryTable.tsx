import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatAmount, formatProbability, probabilityColor } from '../format';

interface Summary {
  key: string;
  label: string;
  reps: number;
  total: number;
  goal?: number | null;
  meanProbability?: number | null;
  buckets: number[];
}

/** Sum of targets against the goal, mean P and the P distribution, per rank or per org node. */
export function SummaryTable({ rows, testId }: { rows: readonly Summary[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table<Summary>
      data-testid={testId}
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={[...rows]}
      columns={[
        { title: t('plans.name'), dataIndex: 'label' },
        { title: t('plans.reps'), dataIndex: 'reps', align: 'right' },
        { title: t('plans.sumOfTargets'), dataIndex: 'total', align: 'right', render: formatAmount },
        { title: t('plans.goal'), dataIndex: 'goal', align: 'right', render: formatAmount },
        {
          title: t('plans.gap'),
          key: 'gap',
          align: 'right',
          render: (_, s) => (s.goal === null || s.goal === undefined ? '—' : formatAmount(s.total - s.goal)),
        },
        { title: t('plans.meanP'), dataIndex: 'meanProbability', render: (p: number | null) => <Tag color={probabilityColor(p)}>{formatProbability(p)}</Tag> },
        {
          title: t('plans.distribution'),
          dataIndex: 'buckets',
          render: (buckets: number[]) => {
            const max = Math.max(1, ...buckets);
            return (
              <span style={{ display: 'inline-flex', alignItems: 'flex-end', gap: 1, height: 20 }}>
                {buckets.map((b, i) => (
                  <span key={i} title={`${i * 10}%: ${b}`} style={{ width: 5, height: Math.max(1, (20 * b) / max), background: '#4e7bd9' }} />
                ))}
              </span>
            );
          },
        },
      ]}
    />
  );
}
