import { test, expect, openApp } from './fixtures';
import { bumpRankSettings } from './api';

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

test('a concurrent edit is reported as a stale version, and reloading lets the edit through', async ({ page, request }) => {
  await openApp(page, '/ranks');
  // The second rung with settings (the first is edited by the test above; a new rank has none yet).
  const version = page.locator('[data-testid^="version-"]').nth(1);
  const rankCode = (await version.getAttribute('data-testid'))!.replace('version-', '');
  await page.getByTestId(`edit-rank-${rankCode}`).click();
  await expect(page.getByTestId('rank-settings-form')).toBeVisible();

  const theirVersion = await bumpRankSettings(request, rankCode, `concurrent edit ${Date.now()}`);
  // The subscription (graphql-transport-ws) tells the editor at once.
  await expect(page.getByTestId('settings-external-change')).toBeVisible();

  await page.getByTestId('field-note').fill('my edit on an old version');
  await page.getByTestId('settings-save').click();
  const alert = page.getByTestId('settings-form-error');
  await expect(alert).toContainText('Someone else changed this in the meantime');

  await page.getByTestId('settings-reload').click();
  await expect(page.getByTestId('settings-form-error')).toBeHidden();
  await page.getByTestId('field-note').fill('my edit on the newest version');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-drawer')).toBeHidden();

  await page.getByTestId(`history-rank-${rankCode}`).click();
  await expect(page.getByTestId(`version-row-${theirVersion + 1}`)).toContainText('my edit on the newest version');
});

test('a new rank joins the ladder without settings, and a duplicate code is refused', async ({ page }) => {
  await openApp(page, '/ranks');
  const code = `X${Date.now() % 100000}`;
  await page.getByTestId('new-rank').click();
  const modal = page.getByTestId('rank-details-modal');
  await modal.getByTestId('rank-code').fill(code);
  await modal.getByTestId('rank-name').fill('E2E Specialist');
  await page.getByTestId('rank-details-save').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  const row = page.getByTestId(`rank-row-${code}`);
  await expect(row).toContainText('E2E Specialist');
  await expect(row).toContainText('No settings yet');

  await page.getByTestId(`details-rank-${code}`).click();
  await modal.getByTestId('rank-name').fill('E2E Principal');
  await page.getByTestId('rank-details-save').click();
  await expect(row).toContainText('E2E Principal');

  await page.getByTestId('new-rank').click();
  await modal.getByTestId('rank-code').fill(code);
  await modal.getByTestId('rank-name').fill('Same code again');
  await page.getByTestId('rank-details-save').click();
  // The API's CONFLICT comes back in the payload and stays in the dialog.
  await expect(page.getByRole('dialog').locator('.ant-form-item-explain-error, [data-testid="payload-error"]').first()).toBeVisible();
  await expect(page.getByRole('dialog')).toBeVisible();
});
