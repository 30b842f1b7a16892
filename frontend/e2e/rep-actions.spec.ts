import { test, expect, openApp } from './fixtures';

test('a rep changes rank and team, with the reasons kept in the history', async ({ page }) => {
  await openApp(page, '/reps');
  await page.getByTestId('rep-name-link').last().click();
  await expect(page.getByTestId('rep-profile')).toBeVisible();
  const rankBefore = (await page.getByTestId('rep-profile').locator('.ant-tag').first().innerText()).trim();

  // Change rank: pick any other rank, from today.
  await page.getByTestId('rep-change-rank').click();
  const modal = page.getByTestId('change-rank-modal');
  // Another rank, chosen with the keyboard (the next one in the list, or the previous from the last).
  const select = modal.getByTestId('change-rank-select');
  await select.click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  if ((await select.innerText()).trim() === rankBefore) {
    await select.click();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
  }
  const newRank = (await select.innerText()).trim();
  const reason = `e2e review ${Date.now()}`;
  await modal.getByTestId('change-rank-reason').fill(reason);
  await page.getByTestId('change-rank-save').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('rank-history')).toContainText(reason);
  await expect(page.getByTestId('rep-profile')).toContainText(newRank);
  expect(newRank).not.toBe(rankBefore);

  // Transfer: the team picker only lets a team be chosen.
  const teamBefore = (await page.getByTestId('rep-profile').getByRole('link').first().innerText()).trim();
  await page.getByTestId('rep-transfer').click();
  const transfer = page.getByTestId('transfer-modal');
  await transfer.getByTestId('transfer-team').click();
  const team = page
    .locator('.ant-select-tree-treenode:not(.ant-select-tree-treenode-disabled):visible')
    .filter({ hasNotText: teamBefore })
    .first();
  const teamName = (await team.innerText()).replace(/\d+\s*$/, '').trim();
  await team.click();
  await transfer.getByTestId('transfer-reason').fill('e2e transfer');
  await page.getByTestId('transfer-save').click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('rep-profile').getByRole('link').first()).toHaveText(teamName);
});
