import { describe, expect, it } from 'vitest';
import type { NotificationFieldsFragment } from '../gql/graphql';
import { badgeCount, notificationLink, withArrival, withRead } from './inbox';

function note(id: string, createdAt: string, readAt: string | null = null): NotificationFieldsFragment {
  return { id, kind: 'alert_opened', subject: `s${id}`, body: `b${id}`, alertId: id, createdAt, readAt };
}

describe('withArrival', () => {
  const state = { items: [note('2', '2026-11-27T10:00:00Z'), note('1', '2026-11-27T09:00:00Z', '2026-11-27T09:30:00Z')], unreadCount: 1 };

  it('puts a new notification first and counts it unread', () => {
    const next = withArrival(state, note('3', '2026-11-27T11:00:00Z'));
    expect(next.items.map((n) => n.id)).toEqual(['3', '2', '1']);
    expect(next.unreadCount).toBe(2);
  });

  it('ignores one it already has (a refetch raced the subscription)', () => {
    expect(withArrival(state, note('2', '2026-11-27T10:00:00Z'))).toBe(state);
  });

  it('keeps only the newest few', () => {
    expect(withArrival(state, note('3', '2026-11-27T11:00:00Z'), 2).items.map((n) => n.id)).toEqual(['3', '2']);
  });
});

describe('withRead', () => {
  const items = [note('1', 'a'), note('2', 'b'), note('3', 'c', 'earlier')];

  it('marks the chosen unread notifications read, leaving the rest', () => {
    const next = withRead(items, ['1'], 'now');
    expect(next.map((n) => n.readAt)).toEqual(['now', null, 'earlier']);
  });

  it('marks every unread one when no ids are given', () => {
    expect(withRead(items, null, 'now').map((n) => n.readAt)).toEqual(['now', 'now', 'earlier']);
  });
});

describe('notificationLink and badgeCount', () => {
  it('leads to the alert when there is one', () => {
    expect(notificationLink({ alertId: '42' })).toBe('/alerts?state=OPEN,ACKNOWLEDGED,RESOLVED&alert=42');
    expect(notificationLink({ alertId: null })).toBe('/inbox');
  });

  it('caps the badge at 99+', () => {
    expect(badgeCount(7)).toBe('7');
    expect(badgeCount(120)).toBe('99+');
  });
});
