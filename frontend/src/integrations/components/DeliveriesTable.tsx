import type { HTMLAttributes } from 'react';
import { Button, Empty, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WebhookDeliveryFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { DELIVERY_STATE_COLORS, deliveryResult } from '../format';

interface Props {
  deliveries: WebhookDeliveryFieldsFragment[];
  endpointUrl: (id: string) => string;
  loading?: boolean;
  emptyText: string;
  pagination: { current: number; pageSize: number; total: number; onChange: (page: number) => void };
  onReplay?: (d: WebhookDeliveryFieldsFragment) => void;
}

/** Deliveries newest first: event, endpoint, state, attempts and the receiver's last answer. */
export function DeliveriesTable({ deliveries, endpointUrl, loading, emptyText, pagination, onReplay }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<WebhookDeliveryFieldsFragment>
      data-testid="deliveries-table"
      rowKey="id"
      scroll={{ x: 'max-content' }}
      size="small"
      loading={loading}
      dataSource={deliveries}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      pagination={{ ...pagination, hideOnSinglePage: true, showSizeChanger: false }}
      onRow={(d) => ({ 'data-testid': `delivery-${d.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('webhooks.createdAtDelivery'), render: (_, d) => fmt.dateTime(d.createdAt) },
        { title: t('webhooks.event'), render: (_, d) => t(`webhooks.eventTypes.${d.eventType}`) },
        { title: t('webhooks.endpoint'), render: (_, d) => <Typography.Text ellipsis style={{ maxWidth: 260 }}>{endpointUrl(d.endpointId)}</Typography.Text> },
        { title: t('webhooks.state'), render: (_, d) => <Tag color={DELIVERY_STATE_COLORS[d.state]} data-testid="delivery-state">{t(`webhooks.deliveryStates.${d.state}`)}</Tag> },
        { title: t('webhooks.attempts'), align: 'right', dataIndex: 'attempts' },
        {
          title: t('webhooks.lastResult'),
          render: (_, d) => (
            <Tooltip title={d.lastError || undefined}>
              <span data-testid="delivery-result">{deliveryResult(d, t)}</span>
            </Tooltip>
          ),
        },
        { title: t('webhooks.deliveredAt'), render: (_, d) => (d.deliveredAt ? fmt.dateTime(d.deliveredAt) : t('common.none')) },
        ...(onReplay
          ? [
              {
                title: '',
                key: 'replay',
                render: (_: unknown, d: WebhookDeliveryFieldsFragment) =>
                  d.state === 'DEAD' && (
                    <Button size="small" onClick={() => onReplay(d)} data-testid="delivery-replay">
                      {t('webhooks.replay')}
                    </Button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}
