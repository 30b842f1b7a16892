import { test, expect, signIn } from './fixtures';
import type { Page } from '@playwright/test';

/** antd's InputNumber puts the test id on the <input> or on its wrapper. */
function numberInput(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** Sign in as a demo user (the page shares the request's cookie jar) and open a path in English. */
async function openAs(page: Page, user: string, path: string) {
  await page.context().clearCookies();
  await signIn(page.request, user, `${user}-demo-2026`);
  await page.addInitScript(() => window.localStorage.setItem('quotient.language', 'en'));
  await page.goto(path);
}

test('plan: create, generate, override with live P and team total, submit, approve as another user, compare with a clone', async ({ page }) => {
  test.setTimeout(240_000);
  await openAs(page, 'planner', '/plans/new');
  const name = `E2E plan ${Date.now()}`;
  await page.getByTestId('plan-name').fill(name);
  await expect(page.getByTestId('plan-scope')).toContainText(/\S/);
  await page.getByTestId('plan-create').click();
  await expect(page.getByTestId('plan-goals-step')).toBeVisible();
  await expect(page.getByTestId('plan-goals-table')).toContainText('revenue');
  // A goal the team can reach within the rank ceilings (the suggestion may exceed them).
  const goal = numberInput(page, 'plan-goal-revenue');
  const suggested = Number((await goal.inputValue()).replace(/[^\d.]/g, ''));
  await goal.fill(String(Math.round(suggested * 0.9)));
  await page.getByTestId('plan-generate').click();
  await expect(page).toHaveURL(/\/plans\/\d+$/, { timeout: 120_000 });
  await expect(page.getByTestId('plan-status')).toHaveText('Draft');
  const grid = page.getByTestId('targets-grid');
  await expect(grid.getByTestId('grid-rep-name').first()).toBeVisible();

  // Inline edit: P(achieve) and the team total follow the typed value.
  await grid.getByTestId('target-edit').first().click();
  const input = numberInput(page, 'target-input');
  const before = Number((await input.inputValue()).replace(/[^\d.]/g, ''));
  expect(before).toBeGreaterThan(0);
  const teamTotal = page.getByTestId('team-total');
  const totalBefore = await teamTotal.innerText();
  await expect(grid.getByTestId('live-probability')).toContainText('%');
  const pBefore = await grid.getByTestId('live-probability').innerText();
  await input.fill(String(Math.round(before * 1.6)));
  await expect(teamTotal).not.toHaveText(totalBefore);
  await expect(grid.getByTestId('live-probability')).not.toHaveText(pBefore);
  await expect(grid.getByTestId('live-probability')).not.toHaveText('…');
  await grid.getByTestId('target-save').click();
  // Nothing is saved before the preview is applied.
  await expect(page.getByTestId('override-preview-edited')).toBeVisible();
  await page.getByTestId('override-apply').click();
  await expect(grid.getByTestId('flag-locked').first()).toBeVisible();
  // The rest of the team absorbed the change: the team total is back near its goal.
  await expect(page.getByTestId('team-total-card')).toBeVisible();

  // The explanation drawer.
  await grid.getByTestId('target-explain').first().click();
  await expect(page.getByTestId('explanation-components')).toBeVisible();
  await page.keyboard.press('Escape');

  // Submit as the planner; the planner cannot approve their own submission.
  await page.getByTestId('plan-submit').click();
  await expect(page.getByTestId('plan-status')).toHaveText('Submitted');
  await page.getByTestId('plan-approve').click();
  await expect(page.getByTestId('payload-error')).toBeVisible();
  await expect(page.getByTestId('plan-status')).toHaveText('Submitted');

  // Approve as admin (another user).
  const url = page.url();
  await openAs(page, 'admin', new URL(url).pathname);
  await page.getByTestId('plan-approve').click();
  await expect(page.getByTestId('plan-status')).toHaveText('Approved');

  // History lists the changes.
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByTestId('plan-audit')).toBeVisible();

  // What-if: another goal on the stored forecasts, nothing saved.
  await page.getByRole('tab', { name: 'What-if' }).click();
  const whatIfGoal = numberInput(page, 'what-if-goal-revenue');
  await whatIfGoal.fill(String(Math.round(Number((await whatIfGoal.inputValue()).replace(/[^\d.]/g, '')) * 0.95)));
  await page.getByTestId('what-if-run').click();
  await expect(page.getByTestId('what-if-result')).toContainText('revenue');

  // Save a scenario with another strategy and compare.
  await page.getByTestId('plan-clone').click();
  await page.getByTestId('clone-name').fill(`${name} scenario`);
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  // The scenario is generated under its strategy (a forecast and a solve), not copied.
  await expect(page).toHaveURL(/\/plans\/compare\?a=\d+&b=\d+/, { timeout: 90_000 });
  await expect(page.getByTestId('compare-result')).toBeVisible();
  await expect(page.getByTestId('compare-ranks').first()).toBeVisible();
  await expect(page.getByTestId('compare-reps').first()).toContainText(/\d/);
});

test('plan list shows the demo plan and the admin can open it', async ({ page }) => {
  await openAs(page, 'admin', '/plans');
  await expect(page.getByTestId('plans-table')).toBeVisible();
  await expect(page.getByTestId('plan-link').first()).toBeVisible();
  await page.getByTestId('plan-link').first().click();
  await expect(page.getByTestId('targets-grid')).toBeVisible();
});
