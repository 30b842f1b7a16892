import { describe, expect, it } from 'vitest';
import { bySeverity, readAlertFilters, writeAlertFilters } from './filters';

describe('alert filters in the URL', () => {
  it('default to open and acknowledged alerts of every severity', () => {
    expect(readAlertFilters(new URLSearchParams())).toEqual({ states: ['OPEN', 'ACKNOWLEDGED'], severities: [] });
    expect(writeAlertFilters({ states: ['ACKNOWLEDGED', 'OPEN'], severities: [] }).toString()).toBe('');
  });

  it('round-trip a choice and drop unknown values', () => {
    const filters = { states: ['RESOLVED' as const], severities: ['CRITICAL' as const, 'INFO' as const] };
    expect(readAlertFilters(writeAlertFilters(filters))).toEqual(filters);
    expect(readAlertFilters(new URLSearchParams('state=RESOLVED,BOGUS&severity=LOUD'))).toEqual({ states: ['RESOLVED'], severities: [] });
  });
});

describe('bySeverity', () => {
  const alerts = [{ id: 1, severity: 'CRITICAL' as const }, { id: 2, severity: 'INFO' as const }];

  it('keeps every alert when no severity is chosen', () => {
    expect(bySeverity(alerts, [])).toHaveLength(2);
  });

  it('keeps only the chosen severities', () => {
    expect(bySeverity(alerts, ['INFO']).map((a) => a.id)).toEqual([2]);
  });
});
