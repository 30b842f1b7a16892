import { useEffect, useMemo, useState } from 'react';
import { App, Badge, Button, Flex, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useTranslation } from 'react-i18next';
import type { NotificationFieldsFragment } from '../../gql/graphql';
import { badgeCount, notificationLink, withArrival, type InboxState } from '../inbox';
import { inboxQuery } from '../queries';
import { markNotificationsReadMutation } from '../mutations';
import { notificationsSubscription } from '../subscriptions';
import { NotificationList } from '../components/NotificationList';

const LATEST = 8;
export const INBOX_TYPENAMES = { additionalTypenames: ['Notification', 'NotificationPage'] };

/** The header's bell: unread count, live by the `notifications` subscription, the latest few. */
export function InboxBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { notification } = App.useApp();
  const [open, setOpen] = useState(false);
  const [{ data, fetching }, refetch] = useQuery({ query: inboxQuery, variables: { limit: LATEST, offset: 0, unreadOnly: false } });
  const [, markRead] = useMutation(markNotificationsReadMutation);
  const [arrived, setArrived] = useState<NotificationFieldsFragment[]>([]);
  const [{ data: live }] = useSubscription({ query: notificationsSubscription });

  useEffect(() => {
    const n = live?.notifications;
    if (!n) return;
    setArrived((list) => [...list, n]);
    notification.info({
      key: `notification-${n.id}`,
      title: n.subject,
      description: n.body,
      placement: 'bottomRight',
      onClick: () => navigate(notificationLink(n)),
    });
    refetch({ requestPolicy: 'network-only' });
  }, [live, notification, navigate, refetch]);

  // What the server said, with what arrived since on top (the refetch then catches up).
  const state: InboxState = useMemo(() => {
    const base = { items: data?.inbox.items ?? [], unreadCount: data?.inbox.unreadCount ?? 0 };
    return arrived.reduce((s, n) => withArrival(s, n, LATEST), base);
  }, [data, arrived]);
  useEffect(() => setArrived([]), [data]);

  const readAll = async () => {
    await markRead({ input: { ids: null } }, INBOX_TYPENAMES);
    refetch({ requestPolicy: 'network-only' });
  };
  const openOne = (n: NotificationFieldsFragment) => {
    setOpen(false);
    if (!n.readAt) void markRead({ input: { ids: [n.id] } }, INBOX_TYPENAMES);
  };

  const content = (
    <div style={{ width: 'min(360px, calc(100vw - 32px))' }} data-testid="inbox-popover">
      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        {state.unreadCount > 0 && (
          <Button size="small" type="link" onClick={readAll} data-testid="inbox-read-all">
            {t('notifications.markAllRead')}
          </Button>
        )}
      </Flex>
      <div style={{ maxHeight: 360, overflowY: 'auto' }}>
        <NotificationList items={state.items} loading={fetching && !data} compact onOpen={openOne} />
      </div>
      <div style={{ textAlign: 'center', marginTop: 8 }}>
        <Link to="/inbox" onClick={() => setOpen(false)} data-testid="inbox-see-all">
          {t('notifications.seeAll')}
        </Link>
      </div>
    </div>
  );

  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" content={content} arrow={false}>
      <Badge count={state.unreadCount} overflowCount={99} size="small" data-testid="inbox-badge" title={badgeCount(state.unreadCount)}>
        <Button type="text" shape="circle" icon={<BellOutlined />} aria-label={t('notifications.title')} data-testid="inbox-bell" />
      </Badge>
    </Popover>
  );
}
