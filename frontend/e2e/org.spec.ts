import { test, expect, openApp } from './fixtures';

test('the org tree lists reps of a subtree, and a new team can be added and renamed', async ({ page }) => {
  await openApp(page, '/org');
  const tree = page.getByTestId('org-tree');
  await tree.locator('[data-testid^="org-node-"]').nth(1).click();
  await expect(page.getByTestId('org-selected')).toBeVisible();
  const count = Number(await page.getByTestId('org-selected-count').innerText());
  await expect(page.getByTestId('reps-page-info')).toContainText(`${count} reps`);

  const code = `T-E2E-${Date.now() % 100000}`;
  await page.getByTestId('org-add-child').click();
  await page.getByRole('dialog').getByTestId('org-unit-name').fill('E2E Team');
  await page.getByRole('dialog').getByTestId('org-unit-code').fill(code);
  await page.getByTestId('org-unit-save').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(tree.getByTestId(`org-node-${code}`)).toContainText('E2E Team');

  await tree.getByTestId(`org-node-${code}`).click();
  await page.getByTestId('org-edit-unit').click();
  await page.getByRole('dialog').getByTestId('org-unit-name').fill('E2E Team Renamed');
  await page.getByTestId('org-unit-save').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(tree.getByTestId(`org-node-${code}`)).toContainText('E2E Team Renamed');
});
