// Named to run last: it adds the Maven sample company (agents with no history) to the demo data,
// which other specs (a company-wide plan, the last rep in the list) do not expect.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, openApp } from './fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAVEN = ['sales_teams.csv', 'accounts.csv', 'products.csv', 'sales_pipeline.csv'].map((name) =>
  path.resolve(here, '../../data/maven-crm', name),
);
// Written for this test: order lines by territory with doubled quotes (and a quoted comma) in the
// product names, `dd-mm-yyyy hh:mm` dates whose days are all <= 12 (so the page asks day or
// month first) and one cancelled line; 4 usable lines of 5.
const ORDER_LINES = path.resolve(here, 'files/order-lines.csv');

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

test('an order-lines file imports through the page: sales lines detected, the date question answered, dry run, commit, totals', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page, '/imports');
  await page.getByTestId('import-source').fill('e2e-orders');
  await page.locator('input[type=file]').first().setInputFiles(ORDER_LINES);
  await page.getByTestId('import-upload').click();

  const card = page.getByTestId('mapping-order-lines.csv');
  await expect(card).toBeVisible();
  const kind = card.getByTestId('mapping-kind');
  if (!(await kind.innerText()).includes('Sales lines (orders)')) {
    await kind.click();
    await page.locator('.ant-select-dropdown:visible').getByText('Sales lines (orders)', { exact: true }).click();
  }
  await expect(kind).toContainText('Sales lines (orders)');
  await expect(card.getByTestId('mapping-column-date')).toContainText('Order Date');
  await expect(card.getByTestId('mapping-column-territory')).toContainText('Territory');
  await expect(card.getByTestId('mapping-column-amount')).toContainText('Sales');
  await expect(card.getByTestId('mapping-column-status')).toContainText('Status');

  // Every day is <= 12: the page asks, the answer is saved with the mapping and the question goes.
  const question = card.getByTestId('question-date');
  if (await question.isVisible()) {
    await expect(question).toContainText('Order Date');
    await question.getByText('Day first (dd-mm-yyyy)').click();
    await expect(card.getByTestId('mapping-questions')).toBeHidden();
  }
  await expect(card.getByTestId('mapping-date-format-date').getByRole('combobox')).toHaveValue('dmy');

  await page.getByTestId('import-dry-run').click();
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('import-run-status')).toHaveText('Dry run');
  await expect(page.getByTestId('import-failure')).toHaveCount(0);
  await expect(page.getByTestId('import-count-rows')).toHaveText('5');
  await expect(page.getByTestId('import-count-imported')).toHaveText('4'); // no line lost to quoting
  await expect(page.getByTestId('import-count-rejected')).toHaveText('0');
  await expect(page.getByTestId('import-count-excluded')).toHaveText('1'); // the cancelled line

  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-run-status')).toHaveText('Committed', { timeout: 60_000 });
  await expect(page.getByTestId('import-count-imported')).toHaveText('4');
  await expect(page.getByTestId('import-count-excluded')).toHaveText('1');
  // The 4 usable lines: created on a fresh demo, unchanged when run again.
  const deals = page.getByTestId('import-entities').locator('tbody tr.ant-table-row').filter({ hasText: /^sales_line/ }).locator('td');
  const dealCounts = await Promise.all([1, 2, 3].map(async (i) => Number(await deals.nth(i).innerText())));
  expect(dealCounts.reduce((a, b) => a + b, 0)).toBe(4);
  await expect(page.getByTestId('import-history').locator('tbody tr.ant-table-row').first()).toContainText('e2e-orders');
});
