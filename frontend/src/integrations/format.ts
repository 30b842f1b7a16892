import type { TFunction } from 'i18next';
import type { JobState, WebhookDeliveryFieldsFragment, WebhookDeliveryState } from '../gql/graphql';

export const JOB_STATES: JobState[] = ['QUEUED', 'RUNNING', 'DEAD', 'DONE', 'FAILED'];
export const JOB_STATE_COLORS: Record<JobState, string> = { QUEUED: 'blue', RUNNING: 'processing', DONE: 'green', FAILED: 'default', DEAD: 'red' };
export const DELIVERY_STATE_COLORS: Record<WebhookDeliveryState, string> = { PENDING: 'blue', DELIVERED: 'green', DEAD: 'red' };

const KNOWN_KINDS = ['notifications_email', 'notifications_digest', 'notifications_daily_digests', 'webhooks_deliver', 'alerts_evaluate', 'tracking_evaluate'] as const;
type KnownKind = (typeof KNOWN_KINDS)[number] | 'other';

/** The label key of a job kind ("notifications.email" → "notifications_email"); unknown: "other". */
export function jobKindKey(kind: string): KnownKind {
  const key = kind.replace(/\./g, '_');
  return (KNOWN_KINDS as readonly string[]).includes(key) ? (key as KnownKind) : 'other';
}

/** A job kind in words; an unknown kind says "Background job" and keeps its name in brackets. */
export function jobKindLabel(kind: string, t: TFunction): string {
  const key = jobKindKey(kind);
  return key === 'other' ? `${t('jobs.kinds.other')} (${kind})` : t(`jobs.kinds.${key}`);
}

/** A delivery's last result in words: OK, HTTP 503, or no answer (connection refused, timeout). */
export function deliveryResult(d: Pick<WebhookDeliveryFieldsFragment, 'state' | 'lastStatus' | 'lastError' | 'attempts'>, t: TFunction): string {
  if (d.state === 'DELIVERED') return d.lastStatus ? `${t('webhooks.ok')} · ${t('webhooks.httpStatus', { status: d.lastStatus })}` : t('webhooks.ok');
  if (d.lastStatus) return t('webhooks.httpStatus', { status: d.lastStatus });
  if (d.lastError || d.attempts > 0) return t('webhooks.noAnswer');
  return '—';
}

/** Whether `url` is an absolute http(s) address (the API checks the rest). */
export function isWebhookUrl(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
