import { describe, expect, it } from 'vitest';
import { visibleNav } from './AppLayout';

describe('visibleNav', () => {
  const keys = (actions: string[]) => visibleNav(actions).map((item) => item.key);

  it('shows everyone the read pages and plans', () => {
    expect(keys(['read', 'sign_in'])).toEqual(['/', '/org', '/ranks', '/reps', '/plans']);
  });

  it('adds imports, users and tokens for the actions that allow them', () => {
    expect(keys(['read', 'import_data', 'manage_tokens'])).toEqual(['/', '/org', '/ranks', '/reps', '/plans', '/imports', '/admin/tokens']);
    expect(keys(['read', 'import_data', 'manage_users', 'manage_tokens'])).toContain('/admin/users');
  });
});
