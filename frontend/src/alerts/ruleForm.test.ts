import { describe, expect, it } from 'vitest';
import i18n from 'i18next';
import type { AlertRuleFieldsFragment } from '../gql/graphql';
import { formattersFor } from '../i18n/format';
import { formFieldOf, fromRule, groupRuleVersions, KIND_DEFAULTS, ruleSummary, suggestKey, toRuleInput, type RuleFormValues } from './ruleForm';

const base: RuleFormValues = { key: 'k', name: ' Behind ', kind: 'BEHIND_PACE', metric: 'revenue', scopeOrgId: null, severity: 'WARNING', active: true };

function version(key: string, v: number, overrides: Partial<AlertRuleFieldsFragment> = {}): AlertRuleFieldsFragment {
  return {
    id: `${key}-${v}`,
    key,
    version: v,
    name: key,
    kind: 'LOW_PROBABILITY',
    metric: 'revenue',
    scopeOrgId: null,
    params: { periods: null, grain: null, threshold: null, k: null, minPeers: null, below: 0.2, days: null },
    severity: 'CRITICAL',
    active: true,
    createdBy: 'admin',
    createdAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

describe('toRuleInput', () => {
  it('sends only the chosen kind’s parameters, percentages as ratios', () => {
    const input = toRuleInput({ ...base, ...KIND_DEFAULTS.BEHIND_PACE, k: 2, belowPct: 10 });
    expect(input.params).toEqual({ periods: 3, grain: 'WEEK', threshold: 0.9 });
    expect(input.name).toBe('Behind');
  });

  it('turns a low projection floor of 80% into 0.8 and keeps no-sale days whole', () => {
    expect(toRuleInput({ ...base, kind: 'LOW_PROJECTION', belowPct: 80 }).params).toEqual({ below: 0.8 });
    expect(toRuleInput({ ...base, kind: 'INACTIVITY', days: 14 }).params).toEqual({ days: 14 });
    expect(toRuleInput({ ...base, kind: 'PEER_GAP', k: 1.5, minPeers: 5 }).params).toEqual({ k: 1.5, minPeers: 5 });
  });
});

describe('fromRule', () => {
  it('shows a stored rule’s ratios as percentages and round-trips through the input', () => {
    const rule = version('low-p', 2, { params: { periods: null, grain: null, threshold: null, k: null, minPeers: null, below: 0.35, days: null } });
    const values = fromRule(rule);
    expect(values.belowPct).toBe(35);
    expect(toRuleInput(values).params).toEqual({ below: 0.35 });
  });
});

describe('groupRuleVersions', () => {
  it('groups versions per key with the newest as the current one', () => {
    const groups = groupRuleVersions([version('b', 1, { active: false }), version('a', 1), version('b', 2, { name: 'b2' })]);
    expect(groups.map((g) => [g.key, g.current.version, g.versions.map((v) => v.version)])).toEqual([
      ['a', 1, [1]],
      ['b', 2, [2, 1]],
    ]);
  });
});

describe('suggestKey and formFieldOf', () => {
  it('makes a key from a Latin name and nothing from a Chinese one', () => {
    expect(suggestKey('Behind pace: 4 weeks!')).toBe('behind-pace-4-weeks');
    expect(suggestKey('连续落后')).toBe('');
  });

  it('puts the API’s parameter errors under the form’s fields', () => {
    expect(formFieldOf('params.min_peers')).toBe('minPeers');
    expect(formFieldOf('params.threshold')).toBe('thresholdPct');
    expect(formFieldOf('name')).toBe('name');
    expect(formFieldOf(null)).toBeNull();
  });
});

describe('ruleSummary', () => {
  it('puts thresholds in words', () => {
    const t = i18n.getFixedT('en');
    const fmt = formattersFor('en');
    const pace = version('p', 1, { kind: 'BEHIND_PACE', params: { periods: 3, grain: 'WEEK', threshold: 0.9, k: null, minPeers: null, below: null, days: null } });
    expect(ruleSummary(pace, t, fmt)).toBe('Pace below 90% for 3 weeks in a row');
    expect(ruleSummary(version('q', 1), t, fmt)).toBe('Chance of reaching the target below 20%');
  });
});
