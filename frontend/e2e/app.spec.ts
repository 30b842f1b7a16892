import { test, expect, openApp } from './fixtures';

test('every page renders without console errors', async ({ page }) => {
  // Home: progress against the active plan; the company overview one click away.
  await openApp(page, '/');
  await expect(page.getByTestId('page-tracking')).toBeVisible();
  await expect(page.getByTestId('chart-rank-distribution').locator('svg')).toBeVisible();
  await expect(page.getByTestId('stat-attainment')).toContainText('%');
  await page.getByTestId('overview-link').click();
  await expect(page.getByTestId('page-dashboard')).toBeVisible();
  await expect(page.getByTestId('chart-reps-by-rank').locator('svg')).toBeVisible();
  await expect(page.getByTestId('stat-reps')).not.toHaveText('0');

  await page.getByTestId('nav-org').click();
  await expect(page.getByTestId('org-tree')).toBeVisible();
  await page.getByTestId('org-tree').locator('[data-testid^="org-node-"]').first().click();
  await expect(page.getByTestId('org-selected')).toBeVisible();
  await expect(page.getByTestId('org-rep-table').locator('tbody tr[data-testid^="rep-row-"]').first()).toBeVisible();

  await page.getByTestId('nav-ranks').click();
  await expect(page.getByTestId('rank-table').locator('tbody tr[data-testid^="rank-row-"]').first()).toBeVisible();

  await page.getByTestId('nav-reps').click();
  await expect(page.getByTestId('rep-table').locator('tbody tr[data-testid^="rep-row-"]').first()).toBeVisible();

  await page.getByTestId('rep-name-link').first().click();
  await expect(page.getByTestId('rep-profile')).toBeVisible();
  await expect(page.locator('[data-testid^="actuals-chart-"] svg').first()).toBeVisible();
  await expect(page.getByTestId('rank-history')).toBeVisible();
});

test('an unknown rep shows not found, not a crash', async ({ page }) => {
  await openApp(page, '/reps/does-not-exist');
  await expect(page.getByTestId('page-rep')).toBeVisible();
  await expect(page.getByText('Not found')).toBeVisible();
});

test('the tracking pages render for an administrator: alerts, rules, inbox, webhooks, jobs', async ({ page }) => {
  await openApp(page, '/alerts');
  await expect(page.getByTestId('page-alerts')).toBeVisible();
  await expect(page.getByTestId('alerts-table')).toBeVisible();
  await page.getByTestId('nav-alert-rules').click();
  await expect(page.getByTestId('rules-table')).toBeVisible();
  await page.getByTestId('inbox-bell').click();
  await page.getByTestId('inbox-see-all').click();
  await expect(page.getByTestId('page-inbox')).toBeVisible();
  await page.getByTestId('tab-preferences').click();
  await expect(page.getByTestId('notification-preferences')).toBeVisible();
  await page.getByTestId('nav-webhooks').click();
  await expect(page.getByTestId('endpoints-table')).toBeVisible();
  await page.getByTestId('nav-jobs').click();
  await expect(page.getByTestId('jobs-table')).toBeVisible();
});
