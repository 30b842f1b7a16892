import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures';
import { gql } from './api';

const READ_NAV = ['nav-dashboard', 'nav-org', 'nav-ranks', 'nav-reps', 'nav-plans', 'nav-alerts'];
const ALL_NAV = [...READ_NAV, 'nav-alert-rules', 'nav-imports', 'nav-users', 'nav-tokens', 'nav-webhooks', 'nav-jobs'];

const EXPECTED: Record<string, string[]> = {
  admin: ALL_NAV,
  planner: [...READ_NAV, 'nav-alert-rules', 'nav-imports', 'nav-tokens'],
  branch: [...READ_NAV, 'nav-alert-rules', 'nav-tokens'],
  lead: READ_NAV,
  rep: READ_NAV,
};

async function openAs(page: Page, user: string, path: string): Promise<string> {
  await page.context().clearCookies();
  const csrf = await signIn(page.request, user, `${user}-demo-2026`);
  await page.addInitScript(() => window.localStorage.setItem('quotient.language', 'en'));
  await page.goto(path);
  return csrf;
}

async function companyCode(request: APIRequestContext): Promise<string> {
  const csrf = await signIn(request, 'admin', 'admin-demo-2026');
  const { orgUnits } = await gql<{ orgUnits: { code: string; kind: string }[] }>(request, '{ orgUnits { code kind } }', {}, csrf);
  return orgUnits.find((u) => u.kind === 'COMPANY')!.code;
}

for (const [user, nav] of Object.entries(EXPECTED)) {
  test(`${user} sees only the navigation for their role`, async ({ page }) => {
    await openAs(page, user, '/');
    await expect(page.getByTestId('nav-dashboard')).toBeVisible();
    for (const id of ALL_NAV) {
      if (nav.includes(id)) await expect(page.getByTestId(id), id).toBeVisible();
      else await expect(page.getByTestId(id), id).toHaveCount(0);
    }
  });
}

test('the branch manager sees only their branch in the org tree', async ({ page, request }) => {
  const company = await companyCode(request);
  const csrf = await openAs(page, 'branch', '/org');
  const { me } = await gql<{ me: { scopeOrgUnit: { code: string; name: string } } }>(page.request, '{ me { scopeOrgUnit { code name } } }', {}, csrf);
  await expect(page.getByTestId('org-tree')).toBeVisible();
  await expect(page.getByTestId(`org-node-${me.scopeOrgUnit.code}`)).toBeVisible();
  await expect(page.getByTestId(`org-node-${company}`)).toHaveCount(0);
  await expect(page.getByTestId('org-tree').locator('.ant-tree-treenode').first()).toContainText(me.scopeOrgUnit.name);
});

test('a rep sees only themself among the reps', async ({ page }) => {
  const csrf = await openAs(page, 'rep', '/reps');
  const { me } = await gql<{ me: { repId: string; displayName: string } }>(page.request, '{ me { repId displayName } }', {}, csrf);
  expect(me.repId).toBeTruthy();
  await expect(page.getByTestId('rep-name-link')).toHaveCount(1);
  await page.getByTestId('rep-name-link').click();
  await expect(page).toHaveURL(new RegExp(`/reps/${me.repId}$`));
});

test('a rep cannot open the users page: the API refuses and nothing is listed', async ({ page }) => {
  await openAs(page, 'rep', '/admin/users');
  await expect(page.getByTestId('user-new')).toHaveCount(0);
});
