// Issue #14 end to end: a rep rates their target "too high" with a reason and a comment; their team
// lead finds it in the plan grid's rep drawer and responds; the plan's feedback summary counts it.
// Then the override preview: a planner edits a target in a draft, sees which teammates would move,
// cancels (nothing saved), and applies. Named zz- to run after the other specs; it counts feedback
// relative to what is already there and works on a clone of its own.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect as baseExpect, signIn } from './fixtures';
import { gql } from './api';

const STAMP = Date.now().toString(36);
// Each step waits on the solver or the database: give a loaded machine time.
const expect = baseExpect.configure({ timeout: 30_000 });

/** Sign in as a demo user (the page shares the request's cookie jar) and open a path in English. */
async function openAs(page: Page, user: string, path: string): Promise<string> {
  await page.context().clearCookies();
  const csrf = await signIn(page.request, user, `${user}-demo-2026`);
  await page.addInitScript(() => window.localStorage.setItem('quotient.language', 'en'));
  await page.goto(path);
  return csrf;
}

/** antd's InputNumber puts the test id on the <input> or on its wrapper. */
function numberInput(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function feedbackCount(request: APIRequestContext, csrf: string, planId: string): Promise<number> {
  const data = await gql<{ feedbackSummary: { count: number }[] }>(
    request,
    'query($planId: ID!) { feedbackSummary(planId: $planId, by: RANK) { count } }',
    { planId },
    csrf,
  );
  return data.feedbackSummary.reduce((s, g) => s + g.count, 0);
}

test('feedback: a rep rates their target too high, the team lead responds in the grid drawer, the summary counts it', async ({ page }) => {
  test.setTimeout(180_000);
  const comment = `E2E the market shrank ${STAMP}`;
  const response = `E2E we will look at it ${STAMP}`;

  // The rep, on their home page at phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  const repCsrf = await openAs(page, 'rep', '/');
  const { me } = await gql<{ me: { repId: string } }>(page.request, '{ me { repId } }', {}, repCsrf);
  const { repProgress } = await gql<{ repProgress: { planId: string }[] }>(
    page.request,
    'query($repId: ID!) { repProgress(repId: $repId) { planId } }',
    { repId: me.repId },
    repCsrf,
  );
  const planId = repProgress[0].planId;

  const widget = page.getByTestId('feedback-widget').first();
  await expect(widget.getByTestId('feedback-form')).toBeVisible();
  await widget.getByTestId('feedback-rating-TOO_HIGH').click();
  await widget.getByTestId('feedback-tag-MARKET').click();
  await widget.getByTestId('feedback-comment').fill(comment);
  await widget.getByTestId('feedback-submit').click();
  const mine = widget.getByTestId('feedback-item').filter({ hasText: comment });
  await expect(mine).toBeVisible();
  await expect(mine.getByTestId('feedback-item-rating')).toHaveText('Too high');
  await expect(mine).toContainText('Market');
  await expect(mine).toContainText('Awaiting a response');
  await noSidewaysScroll(page);

  // The team lead, at desktop width: before responding, count the plan's feedback in their scope.
  await page.setViewportSize({ width: 1440, height: 900 });
  const leadCsrf = await openAs(page, 'lead', `/plans/${planId}`);
  const { planTargets } = await gql<{ planTargets: { items: { repName: string }[] } }>(
    page.request,
    'query($planId: ID!, $repId: ID!) { planTargets(planId: $planId, repId: $repId, limit: 1) { items { repName } } }',
    { planId, repId: me.repId },
    leadCsrf,
  );
  const repName = planTargets.items[0].repName;
  const count = await feedbackCount(page.request, leadCsrf, planId);
  expect(count).toBeGreaterThan(0);

  const grid = page.getByTestId('targets-grid');
  await expect(grid.getByTestId('grid-rep-name').first()).toBeVisible();
  await page.getByTestId('grid-search').fill(repName);
  await expect(grid.getByTestId('grid-rep-name').first()).toHaveText(repName);
  await grid.getByTestId('target-explain').first().click();
  const drawer = page.getByTestId('explanation-drawer');
  const item = drawer.getByTestId('feedback-item').filter({ hasText: comment });
  await expect(item).toBeVisible();
  await item.getByTestId('feedback-respond').click();
  await item.getByTestId('feedback-response').fill(response);
  await item.getByTestId('feedback-response-send').click();
  await expect(item.getByTestId('feedback-item-response')).toContainText(response);
  await expect(item.getByTestId('feedback-item-response')).toContainText('lead responded');
  await page.keyboard.press('Escape');

  // The summary counts it, per rank and per manager, and at phone width nothing scrolls sideways.
  await page.getByTestId('plan-feedback').click();
  await expect(page.getByTestId('page-feedback-summary')).toBeVisible();
  await expect(page.getByTestId('feedback-total')).toHaveText(String(count));
  await expect(page.getByTestId('feedback-chart')).toBeVisible();
  await expect(page.getByTestId('feedback-summary-table')).toContainText('Market');
  await page.getByTestId('feedback-grouping').getByText('Manager').click();
  await expect(page.getByTestId('feedback-total')).toHaveText(String(count));
  await expect(page.getByTestId('feedback-summary-table').getByTestId('feedback-group-count').first()).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('feedback-summary-table')).toBeVisible();
  await noSidewaysScroll(page);

  // The rep sees the response.
  await openAs(page, 'rep', '/');
  await expect(page.getByTestId('feedback-widget').first().getByTestId('feedback-item').filter({ hasText: comment }).getByTestId('feedback-item-response')).toContainText(response);
});

test('override preview: a planner sees the teammates who would move, cancels (nothing saved), then applies', async ({ page }) => {
  test.setTimeout(180_000);
  const csrf = await openAs(page, 'planner', '/plans');
  const { plans } = await gql<{ plans: { id: string; status: string }[] }>(page.request, '{ plans { id status } }', {}, csrf);
  const source = plans.find((p) => p.status === 'ACTIVE') ?? plans[0];
  const { clonePlan } = await gql<{ clonePlan: { plan: { id: string } | null; errors: { message: string }[] } }>(
    page.request,
    'mutation($input: ClonePlanInput!) { clonePlan(input: $input) { plan { id } errors { message } } }',
    { input: { planId: source.id, name: `E2E preview ${STAMP}` } },
    csrf,
  );
  expect(clonePlan.errors).toEqual([]);
  const planId = clonePlan.plan!.id;
  const gridVersions = async () =>
    (await gql<{ targetsGrid: { versions: number[]; values: number[] } }>(
      page.request,
      'query($planId: ID!) { targetsGrid(planId: $planId, metricCode: "revenue") { versions values } }',
      { planId },
      csrf,
    )).targetsGrid;
  const before = await gridVersions();

  await page.goto(`/plans/${planId}`);
  await expect(page.getByTestId('plan-status')).toHaveText('Draft');
  const grid = page.getByTestId('targets-grid');
  await expect(grid.getByTestId('grid-rep-name').first()).toBeVisible();
  const totalBefore = await grid.getByTestId('grid-total').first().innerText();
  await grid.getByTestId('target-edit').first().click();
  const input = numberInput(page, 'target-input');
  const value = Number((await input.inputValue()).replace(/[^\d.]/g, ''));
  expect(value).toBeGreaterThan(0);
  await input.fill(String(Math.round(value * 1.1)));
  await grid.getByTestId('target-save').click();

  const preview = page.getByTestId('override-preview');
  await expect(preview.getByTestId('override-preview-edited')).toBeVisible();
  await expect(preview.getByTestId('override-preview-move').first()).toBeVisible();
  await expect(preview.getByTestId('override-preview-summary')).toContainText(/teammates? would move/);
  await expect(preview.getByTestId('override-preview-team')).toHaveText(/\d/);

  // Cancel: nothing was saved.
  await preview.getByTestId('override-cancel').click();
  await expect(preview).toBeHidden();
  expect(await gridVersions()).toEqual(before);
  await grid.getByTestId('target-save').click();
  await expect(preview.getByTestId('override-preview-edited')).toBeVisible();
  await preview.getByTestId('override-apply').click();
  await expect(preview).toBeHidden();
  await expect(grid.getByTestId('flag-locked').first()).toBeVisible();
  await expect(grid.getByTestId('grid-total').first()).not.toHaveText(totalBefore);
  const after = await gridVersions();
  expect(after.versions).not.toEqual(before.versions);
});
