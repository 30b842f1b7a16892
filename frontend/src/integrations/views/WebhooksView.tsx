import { useMemo, useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Empty, Popconfirm, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import type { WebhookDeliveryFieldsFragment, WebhookDeliveryState, WebhookEndpointFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { webhookDeliveriesQuery, webhookEndpointsQuery } from '../queries';
import { deactivateWebhookEndpointMutation, replayWebhookDeliveryMutation } from '../mutations';
import { DeliveriesTable } from '../components/DeliveriesTable';
import { SecretAlert } from '../components/SecretAlert';
import { NewEndpointModal } from './NewEndpointModal';

const PAGE_SIZE = 20;

function Deliveries({ state, endpointUrl }: { state: WebhookDeliveryState | null; endpointUrl: (id: string) => string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: webhookDeliveriesQuery,
    variables: { state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    requestPolicy: 'cache-and-network',
  });
  const [, replay] = useMutation(replayWebhookDeliveryMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const onReplay = async (d: WebhookDeliveryFieldsFragment) => {
    const result = await replay({ input: { deliveryId: d.id } });
    const errors = result.data?.replayWebhookDelivery.errors ?? [];
    if (result.error || errors.length) void message.error(errors.map((e) => e.message).join('; ') || t('common.loadError'));
    else void message.success(t('webhooks.replayed'));
    reload();
  };
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
      <DeliveriesTable
        deliveries={data?.webhookDeliveries.items ?? []}
        endpointUrl={endpointUrl}
        loading={fetching}
        emptyText={t(state === 'DEAD' ? 'webhooks.emptyDead' : 'webhooks.emptyDeliveries')}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.webhookDeliveries.totalCount ?? 0, onChange: setPage }}
        onReplay={state === 'DEAD' ? onReplay : undefined}
      />
    </QueryState>
  );
}

/** Webhook endpoints (the secret shown once), their deliveries and dead letters to replay. */
export default function WebhooksView() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const [{ data, fetching, error }, refetch] = useQuery({ query: webhookEndpointsQuery });
  const [, deactivate] = useMutation(deactivateWebhookEndpointMutation);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const units = useMemo(() => new Map((data?.orgUnits ?? []).map((u) => [u.id, u.name])), [data]);
  const urls = useMemo(() => new Map((data?.webhookEndpoints ?? []).map((e) => [e.id, e.url])), [data]);
  const endpointUrl = (id: string) => urls.get(id) ?? t('webhooks.unknownEndpoint', { id });

  const onDeactivate = async (endpoint: WebhookEndpointFieldsFragment) => {
    const result = await deactivate({ input: { endpointId: endpoint.id } });
    const errors = result.data?.deactivateWebhookEndpoint.errors ?? [];
    if (result.error || errors.length) void message.error(errors.map((e) => e.message).join('; ') || t('common.loadError'));
    else void message.success(t('webhooks.deactivated'));
    reload();
  };

  const endpoints = (
    <Table<WebhookEndpointFieldsFragment>
      data-testid="endpoints-table"
      rowKey="id"
      scroll={{ x: 'max-content' }}
      size="middle"
      dataSource={data?.webhookEndpoints ?? []}
      pagination={false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('webhooks.emptyEndpoints')} /> }}
      onRow={(e) => ({ 'data-testid': `endpoint-${e.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('webhooks.url'), render: (_, e) => <Typography.Text style={{ wordBreak: 'break-all' }}>{e.url}</Typography.Text> },
        { title: t('webhooks.events'), render: (_, e) => e.eventTypes.map((type) => <Tag key={type}>{t(`webhooks.eventTypes.${type}`)}</Tag>) },
        { title: t('webhooks.scope'), render: (_, e) => (e.scopeOrgId ? (units.get(e.scopeOrgId) ?? t('common.none')) : t('webhooks.wholeCompany')) },
        { title: t('webhooks.status'), render: (_, e) => <Tag color={e.active ? 'green' : 'default'} data-testid="endpoint-status">{t(e.active ? 'webhooks.active' : 'webhooks.inactive')}</Tag> },
        { title: t('webhooks.createdBy'), dataIndex: 'createdBy' },
        { title: t('webhooks.createdAt'), render: (_, e) => fmt.dateTime(e.createdAt) },
        {
          title: '',
          key: 'deactivate',
          render: (_, e) =>
            e.active && (
              <Popconfirm title={t('webhooks.deactivateConfirm')} onConfirm={() => onDeactivate(e)} okButtonProps={{ danger: true, 'data-testid': 'endpoint-deactivate-ok' }}>
                <Button size="small" danger data-testid="endpoint-deactivate">
                  {t('webhooks.deactivate')}
                </Button>
              </Popconfirm>
            ),
        },
      ]}
    />
  );

  return (
    <div data-testid="page-webhooks">
      <PageHeader
        title={t('webhooks.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="endpoint-new">
            {t('webhooks.newEndpoint')}
          </Button>
        }
      />
      {secret && <SecretAlert secret={secret} onClose={() => setSecret(null)} />}
      <Card>
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          <Tabs
            destroyOnHidden
            items={[
              { key: 'endpoints', label: t('webhooks.endpointsTab'), children: endpoints },
              { key: 'deliveries', label: <span data-testid="tab-deliveries">{t('webhooks.deliveriesTab')}</span>, children: <Deliveries state={null} endpointUrl={endpointUrl} /> },
              { key: 'dead', label: <span data-testid="tab-dead">{t('webhooks.deadTab')}</span>, children: <Deliveries state="DEAD" endpointUrl={endpointUrl} /> },
            ]}
          />
        </QueryState>
      </Card>
      <NewEndpointModal
        open={creating}
        orgUnits={data?.orgUnits ?? []}
        onClose={() => setCreating(false)}
        onCreated={(value) => {
          setCreating(false);
          setSecret(value);
          void message.success(t('webhooks.created'));
          reload();
        }}
      />
    </div>
  );
}
