import type { AlertSeverity, AlertState } from '../gql/graphql';

export const ALERT_STATES: AlertState[] = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];
export const ALERT_SEVERITIES: AlertSeverity[] = ['CRITICAL', 'WARNING', 'INFO'];
const DEFAULT_STATES: AlertState[] = ['OPEN', 'ACKNOWLEDGED'];

export interface AlertFilters {
  states: AlertState[];
  severities: AlertSeverity[];
}

function pick<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(','));
  return allowed.filter((value) => wanted.has(value));
}

/** The filters from the page's URL (`?state=OPEN,RESOLVED&severity=CRITICAL`); unknown values dropped. */
export function readAlertFilters(params: URLSearchParams): AlertFilters {
  const states = pick(params.get('state'), ALERT_STATES);
  return { states: states.length ? states : DEFAULT_STATES, severities: pick(params.get('severity'), ALERT_SEVERITIES) };
}

/** The URL's query for `filters`; the defaults leave it empty. */
export function writeAlertFilters(filters: AlertFilters): URLSearchParams {
  const params = new URLSearchParams();
  const isDefault = filters.states.length === DEFAULT_STATES.length && DEFAULT_STATES.every((s) => filters.states.includes(s));
  if (!isDefault && filters.states.length) params.set('state', ALERT_STATES.filter((s) => filters.states.includes(s)).join(','));
  if (filters.severities.length) params.set('severity', ALERT_SEVERITIES.filter((s) => filters.severities.includes(s)).join(','));
  return params;
}

/** The severity filter on a page of alerts (the API filters by state, not by severity). */
export function bySeverity<T extends { severity: AlertSeverity }>(alerts: readonly T[], severities: readonly AlertSeverity[]): T[] {
  return severities.length ? alerts.filter((a) => severities.includes(a.severity)) : [...alerts];
}
