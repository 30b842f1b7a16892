import { test, expect, openApp } from './fixtures';

test('a baseline change is saved as a new version and persists after reload', async ({ page }) => {
  await openApp(page, '/ranks');
  const firstRow = page.locator('tbody tr[data-testid^="rank-row-"]').first();
  const rankCode = (await firstRow.getAttribute('data-testid'))!.replace('rank-row-', '');
  const versionCell = page.getByTestId(`version-${rankCode}`);
  const versionBefore = Number((await versionCell.innerText()).replace('v', ''));

  await page.getByTestId(`edit-rank-${rankCode}`).click();
  const baselineInput = page.getByTestId('metric-revenue-baseline');
  const before = Number(await baselineInput.inputValue());
  const after = before + 1000 + Math.floor(Math.random() * 9) * 100;
  await baselineInput.fill(String(after));
  const note = `e2e baseline ${Date.now()}`;
  await page.getByTestId('field-note').fill(note);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-drawer')).toBeHidden();

  await page.reload();
  const formatted = new Intl.NumberFormat('en', { maximumFractionDigits: 0 }).format(after);
  await expect(page.getByTestId(`baseline-${rankCode}-revenue`)).toHaveText(formatted);
  await expect(page.getByTestId(`version-${rankCode}`)).toHaveText(`v${versionBefore + 1}`);

  await page.getByTestId(`history-rank-${rankCode}`).click();
  const history = page.getByTestId('version-history');
  const newest = history.getByTestId(`version-row-${versionBefore + 1}`);
  await expect(newest).toContainText(note);
  await expect(history.getByTestId(`version-row-${versionBefore}`)).toBeVisible();
});

test('weights that do not sum to 1 are refused before anything is sent', async ({ page }) => {
  await openApp(page, '/ranks');
  const firstRow = page.locator('tbody tr[data-testid^="rank-row-"]').first();
  const rankCode = (await firstRow.getAttribute('data-testid'))!.replace('rank-row-', '');
  await page.getByTestId(`edit-rank-${rankCode}`).click();
  let mutations = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && (request.postData() ?? '').includes('UpdateRankSettings')) mutations += 1;
  });
  await page.getByTestId('metric-revenue-weight').fill('0.99');
  await page.getByTestId('field-note').fill('should not be saved');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('metrics-error')).toContainText('Weights must sum to 1');
  expect(mutations).toBe(0);
});
