import { Empty, Select, Space, Typography } from 'antd';
import { MetricComparisonCard } from '../components/MetricComparisonCard';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { comparePlansQuery, plansQuery } from '../queries';
import { periodLabel } from '../format';

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
              <MetricComparisonCard key={m.metricCode} m={m} />
            ))}
          </Space>
        </QueryState>
      )}
    </>
  );
}
