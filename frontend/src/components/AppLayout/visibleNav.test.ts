import { describe, expect, it } from 'vitest';
import { selectedKey, visibleNav } from './AppLayout';

describe('visibleNav', () => {
  const keys = (actions: string[]) => visibleNav(actions).map((item) => item.key);

  it('shows everyone the read pages, plans and alerts', () => {
    expect(keys(['read', 'sign_in'])).toEqual(['/', '/org', '/ranks', '/reps', '/plans', '/alerts']);
  });

  it('adds imports, users and tokens for the actions that allow them', () => {
    expect(keys(['read', 'import_data', 'manage_tokens'])).toEqual(['/', '/org', '/ranks', '/reps', '/plans', '/alerts', '/imports', '/admin/tokens']);
    expect(keys(['read', 'import_data', 'manage_users', 'manage_tokens'])).toContain('/admin/users');
  });

  it('shows webhooks and jobs to those who manage integrations', () => {
    expect(keys(['read', 'manage_integrations'])).toEqual(['/', '/org', '/ranks', '/reps', '/plans', '/alerts', '/integrations/webhooks', '/integrations/jobs']);
  });

  it('shows target changes to those who request or decide them', () => {
    expect(keys(['read'])).not.toContain('/adjustments');
    expect(keys(['read', 'request_adjustments'])).toContain('/adjustments');
    expect(keys(['read', 'decide_adjustments'])).toContain('/adjustments');
  });

  it('shows alert rules only to those who manage them', () => {
    expect(keys(['read', 'handle_alerts'])).not.toContain('/alerts/rules');
    expect(keys(['read', 'handle_alerts', 'manage_alert_rules'])).toContain('/alerts/rules');
  });
});

describe('selectedKey', () => {
  it('picks the longest entry the path is under', () => {
    expect(selectedKey('/alerts')).toBe('/alerts');
    expect(selectedKey('/alerts/rules')).toBe('/alerts/rules');
    expect(selectedKey('/reps/12')).toBe('/reps');
    expect(selectedKey('/')).toBe('/');
    expect(selectedKey('/overview')).toBe('/');
    expect(selectedKey('/alertsx')).toBe('');
    expect(selectedKey('/inbox')).toBe('');
  });
});
