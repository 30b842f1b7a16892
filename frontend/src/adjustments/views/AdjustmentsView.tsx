import { Card, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/MeContext';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { canDecide } from '../permissions';
import { adjustmentRequestsQuery } from '../queries';
import { AdjustmentTable } from '../components/AdjustmentTable';
import { AdjustmentDrawer } from './AdjustmentDrawer';

// The newest requests in one page; the table pages through them here.
const WINDOW = 200;

type TabKey = 'toDecide' | 'all';

/** Target change requests: those waiting for the caller's decision, and all the caller sees; ?request=ID opens one. */
export default function AdjustmentsView() {
  const { t } = useTranslation();
  const me = useMe();
  const decider = canDecide(me?.actions ?? []);
  const [params, setParams] = useSearchParams();
  const tab: TabKey = decider && params.get('tab') !== 'all' ? 'toDecide' : 'all';
  const [{ data, fetching, error }, refetch] = useQuery({
    query: adjustmentRequestsQuery,
    variables: { toDecide: tab === 'toDecide', limit: WINDOW, offset: 0 },
    requestPolicy: 'cache-and-network',
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const openId = params.get('request') ?? undefined;
  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const items = data?.adjustmentRequests.items ?? [];
  const table = (
    <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
      <AdjustmentTable
        requests={items}
        loading={fetching}
        emptyText={t(tab === 'toDecide' ? 'adjustments.emptyToDecide' : 'adjustments.empty')}
        onOpen={(r) => setParam('request', r.id)}
      />
    </QueryState>
  );

  return (
    <div data-testid="page-adjustments">
      <PageHeader
        title={t('adjustments.title')}
        extra={data && <Typography.Text type="secondary" data-testid="adjustments-count">{t('adjustments.count', { count: data.adjustmentRequests.totalCount })}</Typography.Text>}
      />
      <Card style={{ minWidth: 0 }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam('tab', key === 'all' ? 'all' : undefined)}
          items={[
            ...(decider ? [{ key: 'toDecide', label: <span data-testid="tab-to-decide">{t('adjustments.toDecide')}</span>, children: tab === 'toDecide' ? table : null }] : []),
            { key: 'all', label: <span data-testid="tab-all">{t('adjustments.all')}</span>, children: tab === 'all' ? table : null },
          ]}
        />
      </Card>
      <AdjustmentDrawer requestId={openId} onClose={() => setParam('request', undefined)} onChanged={reload} />
    </div>
  );
}
