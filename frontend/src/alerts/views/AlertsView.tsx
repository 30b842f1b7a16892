import { useMemo, useState } from 'react';
import { Alert, Card, Checkbox, Flex, Select, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { useLiveChanges } from '../../graphql/useLiveChanges';
import type { AlertFieldsFragment, AlertSeverity, AlertState } from '../../gql/graphql';
import { alertsQuery } from '../queries';
import { ALERT_SEVERITIES, ALERT_STATES, bySeverity, readAlertFilters, writeAlertFilters } from '../filters';
import type { AlertAction } from '../transitions';
import { AlertTable } from '../components/AlertTable';
import { AlertActionModal } from './AlertActionModal';
import { AlertHistoryDrawer } from './AlertHistoryDrawer';

// The newest alerts of the chosen states in one request; severity is filtered here (the API
// filters by state only), so the page says when there are more than this.
const WINDOW = 200;

export default function AlertsView() {
  const { t } = useTranslation();
  const me = useMe();
  const canHandle = me?.actions.includes('handle_alerts') ?? false;
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readAlertFilters(params), [params]);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: alertsQuery,
    variables: { states: filters.states, limit: WINDOW, offset: 0 },
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLiveChanges('alert', reload);
  const [acting, setActing] = useState<{ alert: AlertFieldsFragment; action: AlertAction }>();
  // ?alert=ID (a notification's link) opens that alert's history.
  const historyOf = params.get('alert') ?? undefined;
  const setHistoryOf = (id: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('alert', id);
        else next.delete('alert');
        return next;
      },
      { replace: true },
    );

  const items = data?.alerts.items ?? [];
  const shown = bySeverity(items, filters.severities);
  const total = data?.alerts.totalCount ?? 0;
  // The alert as last loaded: after a reload (someone else acted) the dialog sends its new version.
  const actingAlert = acting && (items.find((a) => a.id === acting.alert.id) ?? acting.alert);

  return (
    <div data-testid="page-alerts">
      <PageHeader title={t('alerts.title')} extra={data && <Typography.Text type="secondary" data-testid="alerts-count">{t('alerts.count', { count: shown.length })}</Typography.Text>} />
      {!canHandle && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('alerts.readOnly')} />}
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Checkbox.Group
            data-testid="alerts-state-filter"
            value={filters.states}
            options={ALERT_STATES.map((state) => ({ value: state, label: t(`alerts.states.${state}`) }))}
            onChange={(states) => setParams(writeAlertFilters({ ...filters, states: states as AlertState[] }), { replace: true })}
          />
          <Select
            data-testid="alerts-severity-filter"
            mode="multiple"
            allowClear
            placeholder={t('alerts.allSeverities')}
            value={filters.severities}
            options={ALERT_SEVERITIES.map((severity) => ({ value: severity, label: t(`alerts.severities.${severity}`) }))}
            onChange={(severities: AlertSeverity[]) => setParams(writeAlertFilters({ ...filters, severities }), { replace: true })}
            style={{ minWidth: 200, maxWidth: '100%' }}
          />
        </Flex>
        {total > items.length && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('alerts.truncated', { shown: items.length, total })} data-testid="alerts-truncated" />
        )}
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          <AlertTable
            alerts={shown}
            canHandle={canHandle}
            loading={fetching}
            onAction={(alert, action) => setActing({ alert, action })}
            onHistory={(alert) => setHistoryOf(alert.id)}
          />
        </QueryState>
      </Card>
      <AlertActionModal
        alert={actingAlert}
        action={acting?.action}
        onClose={() => {
          setActing(undefined);
          reload();
        }}
        onReload={reload}
      />
      <AlertHistoryDrawer alertId={historyOf} onClose={() => setHistoryOf(undefined)} />
    </div>
  );
}
