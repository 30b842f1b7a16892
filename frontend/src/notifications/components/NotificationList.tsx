import { Badge, Button, Empty, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { NotificationFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { notificationLink } from '../inbox';

interface Props {
  items: NotificationFieldsFragment[];
  loading?: boolean;
  compact?: boolean;
  onOpen?: (n: NotificationFieldsFragment) => void;
  onMarkRead?: (n: NotificationFieldsFragment) => void;
  pagination?: { current: number; pageSize: number; total: number; onChange: (page: number) => void };
}

/** Notifications newest first, unread ones marked; each leads to its alert. */
export function NotificationList({ items, loading, compact, onOpen, onMarkRead, pagination }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <List
      data-testid="notification-list"
      loading={loading}
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} /> }}
      pagination={pagination && pagination.total > pagination.pageSize ? { ...pagination, size: 'small', showSizeChanger: false } : false}
      renderItem={(n) => (
        <List.Item
          data-testid={`notification-${n.id}`}
          data-unread={n.readAt ? undefined : 'true'}
          actions={
            !compact && !n.readAt && onMarkRead
              ? [
                  <Button key="read" size="small" type="link" data-testid="notification-mark-read" onClick={() => onMarkRead(n)}>
                    {t('notifications.markRead')}
                  </Button>,
                ]
              : undefined
          }
        >
          <List.Item.Meta
            avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
            title={
              <Link to={notificationLink(n)} onClick={() => onOpen?.(n)} data-testid="notification-subject">
                <Typography.Text strong={!n.readAt}>{n.subject}</Typography.Text>
              </Link>
            }
            description={
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                {!compact && <Typography.Text data-testid="notification-body" style={{ whiteSpace: 'pre-line' }}>{n.body}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }} title={fmt.dateTime(n.createdAt)}>
                  {fmt.relative(n.createdAt)}
                </Typography.Text>
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
}
