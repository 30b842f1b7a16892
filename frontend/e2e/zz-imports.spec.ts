// Named to run last: it adds the Maven sample company (agents with no history) to the demo data,
// which other specs (a company-wide plan, the last rep in the list) do not expect.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, openApp } from './fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAVEN = ['sales_teams.csv', 'accounts.csv', 'products.csv', 'sales_pipeline.csv'].map((name) =>
  path.resolve(here, '../../data/maven-crm', name),
);

async function uploadAndDryRun(page: import('@playwright/test').Page) {
  await openApp(page, '/imports');
  await page.getByTestId('import-source').fill('maven-crm');
  await page.locator('[data-testid="import-files"] input[type=file], input[type=file]').first().setInputFiles(MAVEN);
  await page.getByTestId('import-upload').click();
  for (const name of ['sales_teams.csv', 'sales_pipeline.csv']) {
    await expect(page.getByTestId(`mapping-${name}`)).toBeVisible();
  }
  await page.getByTestId('import-dry-run').click();
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-run-status')).toHaveText('Dry run');
}

test('the Maven CRM sample imports through the page: dry-run faults, commit, history; the same files again change nothing', async ({ page }) => {
  test.setTimeout(180_000);
  await uploadAndDryRun(page);
  // The sample's faults are reported, not hidden.
  expect(Number((await page.getByTestId('import-issue-count').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
  await expect(page.getByTestId('import-issues').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('import-entities')).toContainText(/\d/);
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-run-status')).toHaveText('Committed', { timeout: 60_000 });
  const history = page.getByTestId('import-history');
  await expect(history.locator('tbody tr').first()).toContainText('maven-crm');
  await expect(history.getByTestId('history-status').first()).toHaveText('Committed');

  // The same files again: nothing to create or update.
  await page.getByTestId('import-new').click();
  await page.getByTestId('import-source').fill('maven-crm');
  await page.locator('input[type=file]').first().setInputFiles(MAVEN);
  await page.getByTestId('import-upload').click();
  await page.getByTestId('import-dry-run').click();
  await expect(page.getByTestId('import-run-status')).toHaveText('Dry run', { timeout: 60_000 });
  const rows = page.getByTestId('import-entities').locator('tbody tr.ant-table-row');
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i += 1) {
    const cells = rows.nth(i).locator('td');
    await expect(cells.nth(1)).toHaveText('0'); // created
    await expect(cells.nth(2)).toHaveText('0'); // updated
  }
});
