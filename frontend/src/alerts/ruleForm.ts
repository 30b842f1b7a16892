import type { TFunction } from 'i18next';
import type { AlertRuleFieldsFragment, AlertRuleInput, AlertRuleKind, AlertRuleParamsInput, AlertSeverity, PaceGrain } from '../gql/graphql';
import type { Formatters } from '../i18n/format';

export const RULE_KINDS: AlertRuleKind[] = ['BEHIND_PACE', 'PEER_GAP', 'LOW_PROBABILITY', 'LOW_PROJECTION', 'INACTIVITY'];
export const SEVERITIES: AlertSeverity[] = ['INFO', 'WARNING', 'CRITICAL'];

/** A numeric parameter: its form name, bounds as the form shows them, and how it is stored. */
export interface ParamField {
  name: 'periods' | 'thresholdPct' | 'k' | 'minPeers' | 'belowPct' | 'days';
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** Shown as a percentage, stored as a ratio (72 → 0.72). */
  percent: boolean;
}

// Bounds are the API's (backend/services/alerts/rules.py RANGES), a ratio's times 100.
const PERIODS: ParamField = { name: 'periods', min: 1, max: 52, step: 1, integer: true, percent: false };
const THRESHOLD: ParamField = { name: 'thresholdPct', min: 5, max: 200, step: 5, integer: false, percent: true };
const K: ParamField = { name: 'k', min: 0.25, max: 5, step: 0.25, integer: false, percent: false };
const MIN_PEERS: ParamField = { name: 'minPeers', min: 3, max: 1000, step: 1, integer: true, percent: false };
const PROBABILITY: ParamField = { name: 'belowPct', min: 1, max: 100, step: 5, integer: false, percent: true };
const PROJECTION: ParamField = { name: 'belowPct', min: 1, max: 150, step: 5, integer: false, percent: true };
const DAYS: ParamField = { name: 'days', min: 1, max: 365, step: 1, integer: true, percent: false };

/** The fields each kind of rule asks for (behind pace also asks weeks or months). */
export const PARAM_FIELDS: Record<AlertRuleKind, ParamField[]> = {
  BEHIND_PACE: [PERIODS, THRESHOLD],
  PEER_GAP: [K, MIN_PEERS],
  LOW_PROBABILITY: [PROBABILITY],
  LOW_PROJECTION: [PROJECTION],
  INACTIVITY: [DAYS],
};

export interface RuleFormValues {
  key: string;
  name: string;
  kind: AlertRuleKind;
  metric: string;
  scopeOrgId?: string | null;
  severity: AlertSeverity;
  active: boolean;
  periods?: number;
  grain?: PaceGrain;
  thresholdPct?: number;
  k?: number;
  minPeers?: number;
  belowPct?: number;
  days?: number;
}

/** The API's defaults per kind, as the form shows them. */
export const KIND_DEFAULTS: Record<AlertRuleKind, Partial<RuleFormValues>> = {
  BEHIND_PACE: { periods: 3, grain: 'WEEK', thresholdPct: 90 },
  PEER_GAP: { k: 1.5, minPeers: 5 },
  LOW_PROBABILITY: { belowPct: 20 },
  LOW_PROJECTION: { belowPct: 80 },
  INACTIVITY: { days: 21 },
};

const toRatio = (pct: number | undefined) => (pct === undefined ? undefined : Math.round(pct * 100) / 10_000);
const toPct = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? undefined : Math.round(ratio * 10_000) / 100);

/** The mutation's input from the form: only the chosen kind's parameters are sent. */
export function toRuleInput(values: RuleFormValues): AlertRuleInput {
  const params: AlertRuleParamsInput = {};
  if (values.kind === 'BEHIND_PACE') Object.assign(params, { periods: values.periods, grain: values.grain, threshold: toRatio(values.thresholdPct) });
  if (values.kind === 'PEER_GAP') Object.assign(params, { k: values.k, minPeers: values.minPeers });
  if (values.kind === 'LOW_PROBABILITY' || values.kind === 'LOW_PROJECTION') params.below = toRatio(values.belowPct);
  if (values.kind === 'INACTIVITY') params.days = values.days;
  return {
    name: values.name.trim(),
    kind: values.kind,
    metric: values.metric,
    params,
    scopeOrgId: values.scopeOrgId ?? null,
    severity: values.severity,
    active: values.active,
  };
}

/** The form's values for editing a stored version (its next version starts from them). */
export function fromRule(rule: AlertRuleFieldsFragment): RuleFormValues {
  const p = rule.params;
  return {
    key: rule.key,
    name: rule.name,
    kind: rule.kind,
    metric: rule.metric,
    scopeOrgId: rule.scopeOrgId ?? null,
    severity: rule.severity,
    active: rule.active,
    periods: p.periods ?? undefined,
    grain: p.grain ?? undefined,
    thresholdPct: toPct(p.threshold),
    k: p.k ?? undefined,
    minPeers: p.minPeers ?? undefined,
    belowPct: toPct(p.below),
    days: p.days ?? undefined,
  };
}

/** A key from a name ("Behind pace 4w" → "behind-pace-4w"); empty when nothing Latin is left. */
export function suggestKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface RuleGroup {
  key: string;
  current: AlertRuleFieldsFragment;
  /** Every version, newest first. */
  versions: AlertRuleFieldsFragment[];
}

/** Versions grouped per rule key, the newest version being the current one; rules by name. */
export function groupRuleVersions(rules: readonly AlertRuleFieldsFragment[]): RuleGroup[] {
  const byKey = new Map<string, AlertRuleFieldsFragment[]>();
  for (const rule of rules) byKey.set(rule.key, [...(byKey.get(rule.key) ?? []), rule]);
  return [...byKey.entries()]
    .map(([key, versions]) => {
      const ordered = [...versions].sort((a, b) => b.version - a.version);
      return { key, current: ordered[0], versions: ordered };
    })
    .sort((a, b) => a.current.name.localeCompare(b.current.name));
}

/** A rule's thresholds in words: "Pace below 90% for 3 weeks in a row". */
export function ruleSummary(rule: Pick<AlertRuleFieldsFragment, 'kind' | 'params'>, t: TFunction, fmt: Formatters): string {
  const p = rule.params;
  switch (rule.kind) {
    case 'BEHIND_PACE': {
      const values = { count: p.periods ?? 0, threshold: fmt.percent(p.threshold) };
      return p.grain === 'MONTH' ? t('alertRules.summary.behindPaceMonths', values) : t('alertRules.summary.behindPaceWeeks', values);
    }
    case 'PEER_GAP':
      return t('alertRules.summary.peerGap', { k: fmt.number(p.k, 2), minPeers: p.minPeers ?? 0 });
    case 'LOW_PROBABILITY':
      return t('alertRules.summary.lowProbability', { below: fmt.percent(p.below) });
    case 'LOW_PROJECTION':
      return t('alertRules.summary.lowProjection', { below: fmt.percent(p.below) });
    case 'INACTIVITY':
      return t('alertRules.summary.inactivity', { count: p.days ?? 0 });
  }
}

// The API names a parameter's problem "params.<snake_case name>"; the form shows it in percent.
const API_FIELDS: Record<string, keyof RuleFormValues> = {
  'params.periods': 'periods',
  'params.grain': 'grain',
  'params.threshold': 'thresholdPct',
  'params.k': 'k',
  'params.min_peers': 'minPeers',
  'params.minPeers': 'minPeers',
  'params.below': 'belowPct',
  'params.days': 'days',
};

/** The form field an API error's `field` belongs to ("params.min_peers" → "minPeers"). */
export function formFieldOf(apiField: string | null | undefined): string | null {
  if (!apiField) return null;
  return API_FIELDS[apiField] ?? apiField;
}

export const FORM_FIELDS = ['key', 'name', 'kind', 'metric', 'scopeOrgId', 'severity', 'active', 'periods', 'grain', 'thresholdPct', 'k', 'minPeers', 'belowPct', 'days'];
