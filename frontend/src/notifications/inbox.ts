import type { NotificationFieldsFragment } from '../gql/graphql';

export interface InboxState {
  items: NotificationFieldsFragment[];
  unreadCount: number;
}

/**
 * A notification that just arrived (the subscription) in the list shown: newest first, once
 * (the same one read back by a refetch is not counted twice).
 */
export function withArrival(state: InboxState, arrived: NotificationFieldsFragment, keep = 20): InboxState {
  if (state.items.some((n) => n.id === arrived.id)) return state;
  const items = [arrived, ...state.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, keep);
  return { items, unreadCount: state.unreadCount + (arrived.readAt ? 0 : 1) };
}

/** The list after `ids` (all of them when null) were marked read at `now`. */
export function withRead(items: readonly NotificationFieldsFragment[], ids: readonly string[] | null, now: string): NotificationFieldsFragment[] {
  return items.map((n) => (!n.readAt && (ids === null || ids.includes(n.id)) ? { ...n, readAt: now } : n));
}

/** Where a notification leads: its alert's history on the alerts page, or the inbox. */
export function notificationLink(n: Pick<NotificationFieldsFragment, 'alertId'>): string {
  return n.alertId ? `/alerts?state=OPEN,ACKNOWLEDGED,RESOLVED&alert=${encodeURIComponent(n.alertId)}` : '/inbox';
}

/** The badge's text: the count, "99+" beyond. */
export function badgeCount(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}
