import { useState } from 'react';
import { App, Button, Card, Flex, Segmented, Tabs } from 'antd';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import type { NotificationChannel, NotificationMode } from '../../gql/graphql';
import { inboxQuery, notificationPreferencesQuery } from '../queries';
import { markNotificationsReadMutation, setNotificationPreferenceMutation } from '../mutations';
import { NotificationList } from '../components/NotificationList';
import { PreferencesForm } from '../components/PreferencesForm';
import { INBOX_TYPENAMES } from './InboxBell';

const PAGE_SIZE = 20;

function Notifications() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: inboxQuery,
    variables: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, unreadOnly },
  });
  const [, markRead] = useMutation(markNotificationsReadMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const mark = async (ids: string[] | null) => {
    await markRead({ input: { ids } }, INBOX_TYPENAMES);
    reload();
  };
  return (
    <>
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Segmented
          data-testid="inbox-filter"
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => {
            setUnreadOnly(v === 'unread');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('notifications.all') },
            { value: 'unread', label: t('notifications.unread', { count: data?.inbox.unreadCount ?? 0 }) },
          ]}
        />
        <Button onClick={() => mark(null)} disabled={!data?.inbox.unreadCount} data-testid="inbox-mark-all">
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
        <NotificationList
          items={data?.inbox.items ?? []}
          loading={fetching}
          onMarkRead={(n) => mark([n.id])}
          onOpen={(n) => !n.readAt && mark([n.id])}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.inbox.totalCount ?? 0, onChange: setPage }}
        />
      </QueryState>
    </>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [{ data, fetching, error }, refetch] = useQuery({ query: notificationPreferencesQuery });
  const [saving, setSaving] = useState<NotificationChannel>();
  const [, save] = useMutation(setNotificationPreferenceMutation);
  const change = async (channel: NotificationChannel, mode: NotificationMode) => {
    setSaving(channel);
    const result = await save({ input: { channel, mode } });
    setSaving(undefined);
    const errors = result.data?.setNotificationPreference.errors ?? [];
    if (result.error || errors.length) void message.error(errors.map((e) => e.message).join('; ') || t('common.loadError'));
    else void message.success(t('notifications.preferenceSaved'));
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
      {data && <PreferencesForm value={data.notificationPreferences} saving={saving} onChange={change} />}
    </QueryState>
  );
}

/** Your notifications (mark read, open the alert) and how they reach you. */
export default function InboxView() {
  const { t } = useTranslation();
  return (
    <div data-testid="page-inbox">
      <PageHeader title={t('notifications.title')} />
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'inbox', label: t('notifications.inboxTab'), children: <Notifications /> },
            { key: 'preferences', label: <span data-testid="tab-preferences">{t('notifications.preferencesTab')}</span>, children: <Preferences /> },
          ]}
        />
      </Card>
    </div>
  );
}
