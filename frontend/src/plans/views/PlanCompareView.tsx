import { Card, Empty, Select, Space, Statistic, Table, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { comparePlansQuery, plansQuery } from '../queries';
import { formatAmount, formatProbability, periodLabel } from '../format';

/** Two plans side by side: goals, per-rank sums and mean P, per-rep deltas (b - a). */
export default function PlanCompareView() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const [{ data: plansData }] = useQuery({ query: plansQuery, variables: { status: null } });
  const [{ data, fetching, error }] = useQuery({ query: comparePlansQuery, variables: { planA: a, planB: b }, pause: !a || !b, requestPolicy: 'network-only' });
  const options = (plansData?.plans ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${periodLabel(p)} · ${t(`plans.statuses.${p.status}`)}` }));
  const set = (key: 'a' | 'b', value?: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  return (
    <>
      <PageHeader title={t('plans.compareTitle')} testId="compare-title" />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select data-testid="compare-a" style={{ width: 340 }} placeholder="A" value={a || undefined} options={options} onChange={(v: string) => set('a', v)} />
        <Typography.Text>↔</Typography.Text>
        <Select data-testid="compare-b" style={{ width: 340 }} placeholder="B" value={b || undefined} options={options} onChange={(v: string) => set('b', v)} />
      </Space>
      {!a || !b ? (
        <Empty description={t('plans.pickTwo')} />
      ) : (
        <QueryState fetching={fetching} error={error} hasData={!!data}>
          <Space direction="vertical" style={{ width: '100%' }} size={16} data-testid="compare-result">
            {(data?.comparePlans ?? []).map((m) => (
              <Card key={m.metricCode} title={m.metricCode} size="small" data-testid={`compare-metric-${m.metricCode}`}>
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
            ))}
          </Space>
        </QueryState>
      )}
    </>
  );
}
