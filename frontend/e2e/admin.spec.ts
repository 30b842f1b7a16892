import { test, expect, openApp } from './fixtures';

test('an admin creates a user and changes their role', async ({ page }) => {
  await openApp(page, '/admin/users');
  await expect(page.getByTestId('users-table')).toContainText('planner');
  const username = `e2e_${Date.now()}`;
  await page.getByTestId('user-new').click();
  await page.getByTestId('user-username').fill(username);
  await page.getByTestId('user-display-name').fill('E2E Lead');
  await page.getByTestId('user-password').fill('e2e-password-2026!');
  // A team lead without a scope is refused, the message under the scope input.
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.getByTestId('user-form')).toContainText('scoped');
  await page.getByTestId('user-scope').click();
  await page.locator('.ant-select-tree-treenode:visible').first().click();
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  const row = page.getByTestId('users-table').locator('tr', { hasText: username });
  await expect(row).toContainText('Team lead');

  await row.getByTestId('user-change-role').click();
  await page.getByTestId('user-role').click();
  await page.locator('.ant-select-item-option', { hasText: 'HQ planner' }).click();
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(row).toContainText('HQ planner');
});

test('an API token is shown once, listed with its last use, and revoked', async ({ page }) => {
  await openApp(page, '/admin/tokens');
  const name = `e2e token ${Date.now()}`;
  await page.getByTestId('token-new').click();
  await page.getByTestId('token-name').fill(name);
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect(page.getByTestId('token-secret-value')).not.toBeEmpty();
  const row = page.getByTestId('tokens-table').locator('tr', { hasText: name });
  await expect(row.getByTestId('token-state')).toHaveText('Active');
  await row.getByTestId('token-revoke').click();
  await page.locator('.ant-popconfirm .ant-btn-dangerous, .ant-popover .ant-btn-dangerous').first().click();
  await expect(row.getByTestId('token-state')).toHaveText('Revoked');
});
