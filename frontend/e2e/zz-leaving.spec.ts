// Issue #14 end to end: a rep of the demo team leaves; the branch manager records it on the
// rep's page; by the demo plan's policy (redistribute) the leaver's months after the leaving
// month go to 0 and the teammates absorb them, every change a dated revision, and the change is
// listed on /adjustments. Named zz- to run after the other specs (it changes the demo's people).
import type { APIRequestContext } from '@playwright/test';
import { test, expect, signIn } from './fixtures';
import { gql } from './api';
import { BASE_URL } from './browser';

type Call = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

async function apiAs(request: APIRequestContext, user: string): Promise<Call> {
  const csrf = await signIn(request, user, `${user}-demo-2026`);
  return <T,>(query: string, variables: Record<string, unknown> = {}) => gql<T>(request, query, variables, csrf);
}

interface Revision {
  month: string;
  before: number;
  after: number;
  source: string;
}

const TEAM = `{ reps(first: 50) { edges { node { id name } } } }`;
const PENDING = `{ adjustmentRequests(statuses: [PENDING], limit: 100) { items { subjectRepId } } }`;
const PROGRESS = `query($repId: ID!) { repProgress(repId: $repId) { planId metricCode months { month target } } }`;
const HISTORY = `query($plan: ID!, $rep: ID!) { targetHistory(planId: $plan, repId: $rep) { month before after source } }`;

test('a leaver’s remaining months are redistributed to the team by the plan’s policy', async ({ page, playwright }) => {
  test.setTimeout(120_000);
  const leadRequest = await playwright.request.newContext({ baseURL: BASE_URL });
  const repRequest = await playwright.request.newContext({ baseURL: BASE_URL });
  try {
    const lead = await apiAs(leadRequest, 'lead');
    const demoRep = await apiAs(repRequest, 'rep');
    const { me } = await demoRep<{ me: { repId: string } }>('{ me { repId } }');
    const waiting = new Set((await lead<{ adjustmentRequests: { items: { subjectRepId: string }[] } }>(PENDING)).adjustmentRequests.items.map((r) => r.subjectRepId));
    const team = (await lead<{ reps: { edges: { node: { id: string; name: string } }[] } }>(TEAM)).reps.edges.map((e) => e.node);
    // Someone other than the demo rep, with no request waiting, holding a revenue target.
    let leaver: { id: string; name: string } | undefined;
    let planId = '';
    for (const candidate of team.filter((r) => r.id !== me.repId && !waiting.has(r.id))) {
      const progress = (await lead<{ repProgress: { planId: string; metricCode: string }[] }>(PROGRESS, { repId: candidate.id })).repProgress;
      const revenue = progress.find((p) => p.metricCode === 'revenue');
      if (revenue) {
        leaver = candidate;
        planId = revenue.planId;
        break;
      }
    }
    expect(leaver, 'a teammate of the demo rep can leave').toBeTruthy();
    const today = new Date().toISOString().slice(0, 10);
    const thisMonth = `${today.slice(0, 7)}-01`;

    // The branch manager records the leaving on the rep's page.
    await signIn(page.request, 'branch', 'branch-demo-2026');
    await page.addInitScript(() => window.localStorage.setItem('quotient.language', 'en'));
    await page.goto(`/reps/${leaver!.id}`);
    await page.getByTestId('rep-record-leaving').click({ timeout: 30_000 });
    const modal = page.getByRole('dialog');
    const date = modal.getByTestId('record-leaving-date').locator('input').or(modal.locator('input.ant-picker-input, .ant-picker input')).first();
    await date.click();
    await date.fill(today);
    await date.press('Enter');
    await modal.getByTestId('record-leaving-reason').fill('Resigned; last day today (e2e).');
    await page.getByTestId('record-leaving-save').click();
    await expect(modal).toBeHidden({ timeout: 30_000 });

    // The leaver's months after this one are 0, each a dated revision; teammates absorbed them.
    const history = (await lead<{ targetHistory: Revision[] }>(HISTORY, { plan: planId, rep: leaver!.id })).targetHistory;
    const leaving = history.filter((h) => h.source === 'people_change');
    expect(leaving.length, 'the leaving is in the leaver’s target history').toBeGreaterThan(0);
    for (const h of leaving.filter((h) => h.month > thisMonth)) expect(h.after).toBe(0);
    let absorbed = 0;
    for (const mate of team.filter((r) => r.id !== leaver!.id)) {
      const theirs = (await lead<{ targetHistory: Revision[] }>(HISTORY, { plan: planId, rep: mate.id })).targetHistory;
      absorbed += theirs.filter((h) => h.source === 'people_change' && h.after > h.before).length;
    }
    expect(absorbed, 'teammates’ targets rose by the plan’s redistribute policy').toBeGreaterThan(0);

    // The change is listed with the other adjustments.
    await page.goto('/adjustments');
    await page.getByTestId('tab-all').click({ timeout: 30_000 });
    await expect(page.getByTestId('page-adjustments')).toContainText(leaver!.name, { timeout: 30_000 });
  } finally {
    await leadRequest.dispose();
    await repRequest.dispose();
  }
});
