import { test, expect, signIn } from './fixtures';
import type { Page } from '@playwright/test';

function numberInput(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

test('a plan whose defaults conflict is generated and lists what had to give, in English and Chinese', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page.request, 'planner', 'planner-demo-2026');
  await page.addInitScript(() => window.localStorage.setItem('quotient.language', 'en'));
  await page.goto('/plans/new');
  await page.getByTestId('plan-name').fill(`E2E stretch ${Date.now()}`);
  await expect(page.getByTestId('plan-scope')).toContainText(/\S/);
  // Default settings: relax rather than refuse.
  await expect(page.getByTestId('plan-strict')).not.toBeChecked();
  await page.getByTestId('plan-create').click();
  await expect(page.getByTestId('plan-goals-step')).toBeVisible();

  // A goal far above what the reps can reach within their rank ceilings.
  const goal = numberInput(page, 'plan-goal-revenue');
  const suggested = Number((await goal.inputValue()).replace(/[^\d.]/g, ''));
  await goal.fill(String(Math.round(suggested * 1.8)));
  await page.getByTestId('plan-generate').click();
  await expect(page).toHaveURL(/\/plans\/\d+$/, { timeout: 120_000 });

  // Targets are there, with the bottom-up forecast and the gap to it.
  const grid = page.getByTestId('targets-grid');
  await expect(grid.getByTestId('grid-rep-name').first()).toBeVisible();
  await expect(grid.getByTestId('grid-probability').first()).toContainText('%');
  await expect(page.getByTestId('plan-bottom-up')).toContainText(/\d/);
  await expect(page.getByTestId('plan-gap')).toContainText(/\d/);

  // What had to give: a summary at the top, then every relaxation in words with an action.
  const alert = page.getByTestId('relaxations-alert');
  await expect(alert).toContainText('constraints had to give');
  await expect(page.getByTestId('relaxations-count-RANK')).toBeVisible();
  await page.getByTestId('relaxations-show').click();
  const panel = page.getByTestId('relaxations-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('relaxations-group-RANK')).toContainText('Rank floor / ceiling');
  const first = panel.getByTestId('relaxation-item').first();
  await expect(first.getByTestId('relaxation-situation')).toContainText(/ceiling|floor|band|cap/);
  await expect(first.getByTestId('relaxation-action')).toContainText('Suggested:');
  const situationEn = await first.getByTestId('relaxation-situation').innerText();

  // The same list in Chinese.
  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('relaxations-alert')).toContainText('项约束被放宽');
  await expect(page.getByTestId('relaxations-group-RANK')).toContainText('职级上下限');
  await expect(first.getByTestId('relaxation-situation')).not.toHaveText(situationEn);
  await expect(first.getByTestId('relaxation-situation')).toContainText(/上限|下限|概率区间|增幅/);
  await expect(first.getByTestId('relaxation-action')).toContainText('建议：');
});
