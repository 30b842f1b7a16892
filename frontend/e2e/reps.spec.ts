import { test, expect, openApp } from './fixtures';
import type { Page } from '@playwright/test';

const rows = (page: Page) => page.getByTestId('rep-table').locator('tbody tr[data-testid^="rep-row-"]');
const total = async (page: Page) => Number((await page.getByTestId('reps-page-info').innerText()).match(/([\d,]+) reps/)![1].replace(/,/g, ''));

test('the reps list pages through the connection', async ({ page }) => {
  await openApp(page, '/reps?size=10');
  await expect(page.getByTestId('reps-page-info')).toContainText('Page 1 of');
  const count = await total(page);
  test.skip(count <= 10, 'needs more than one page of reps');
  await expect(rows(page)).toHaveCount(10);
  const firstOnPage1 = await rows(page).first().getAttribute('data-testid');
  await expect(page.getByTestId('reps-prev')).toBeDisabled();

  await page.getByTestId('reps-next').click();
  await expect(page.getByTestId('reps-page-info')).toContainText('Page 2 of');
  await expect(rows(page).first()).not.toHaveAttribute('data-testid', firstOnPage1!);

  await page.getByTestId('reps-prev').click();
  await expect(page.getByTestId('reps-page-info')).toContainText('Page 1 of');
  await expect(rows(page).first()).toHaveAttribute('data-testid', firstOnPage1!);
});

test('the reps list filters by text, rank and org subtree, and sorts on the server', async ({ page }) => {
  await openApp(page, '/reps');
  await expect(rows(page).first()).toBeVisible();
  const all = await total(page);

  // Text search on one rep's name finds that rep.
  const name = await page.getByTestId('rep-name-link').nth(1).innerText();
  await page.getByTestId('reps-search').locator('input').fill(name);
  await page.getByTestId('reps-search').locator('input').press('Enter');
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId('rep-name-link').first()).toHaveText(name);
  expect(await total(page)).toBeLessThan(all);
  await page.getByTestId('reps-reset').click();
  await expect.poll(() => total(page)).toBe(all);

  // Rank filter: every row holds the chosen rank.
  await page.getByTestId('reps-rank-filter').click();
  const option = page.locator('.ant-select-item-option').first();
  const rankLabel = (await option.innerText()).trim();
  await option.click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/rank=/);
  const rankTags = rows(page).locator('td:nth-child(4)');
  await expect(rankTags.first()).toContainText(rankLabel);
  for (const text of await rankTags.allInnerTexts()) expect(text).toContain(rankLabel);
  await page.getByTestId('reps-reset').click();

  // Org subtree filter: a region or branch holds fewer reps than the company.
  await page.getByTestId('reps-org-filter').click();
  // The second unit in the tree: the first region under the company.
  await page.locator('[data-testid^="org-node-"]:visible').nth(1).click();
  await expect(page).toHaveURL(/org=/);
  await expect.poll(() => total(page)).toBeLessThan(all);
  expect(await total(page)).toBeGreaterThan(0);
  await page.getByTestId('reps-reset').click();
  await expect(page).not.toHaveURL(/org=/);

  // Sorting by hire date, newest first, is done by the API.
  await page.getByRole('columnheader', { name: /Hire date/ }).click();
  await expect(page).toHaveURL(/sort=HIRE_DATE&dir=ASC/);
  await page.getByRole('columnheader', { name: /Hire date/ }).click();
  await expect(page).toHaveURL(/sort=HIRE_DATE&dir=DESC/);
  await expect
    .poll(async () => {
      const dates = await rows(page).locator('td:nth-child(7)').allInnerTexts();
      return dates.length > 1 && dates.every((date, i) => i === 0 || dates[i - 1] >= date);
    })
    .toBe(true);
});
