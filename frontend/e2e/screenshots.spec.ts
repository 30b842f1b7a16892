import { test, type Page } from '@playwright/test';
import { signIn } from './fixtures';

/** Not a check: renders every page in both languages into screenshots/ for a person to look at. */
const out = process.env.SCREENSHOT_DIR ?? 'screenshots';

test.use({ viewport: { width: Number(process.env.SCREENSHOT_WIDTH ?? 1440), height: 900 } });

for (const language of ['zh-CN', 'en'] as const) {
  test(`screenshots in ${language}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.addInitScript((lang) => window.localStorage.setItem('quotient.language', lang), language);
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[${language}] console.${msg.type()}: ${msg.text()}`);
    });
    const settle = async (p: Page) => {
      await p.waitForLoadState('networkidle');
      await p.waitForTimeout(400);
    };
    await page.goto('/sign-in');
    await page.getByTestId('page-sign-in').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-sign-in.png` });
    await signIn(page.request);
    const shoot = async (name: string, path: string, ready: string) => {
      await page.goto(path);
      await page.getByTestId(ready).first().waitFor();
      await settle(page);
      await page.screenshot({ path: `${out}/${language}-${name}.png`, fullPage: true });
    };
    await shoot('dashboard', '/', 'chart-rank-distribution');
    await shoot('overview', '/overview', 'chart-reps-by-rank');
    await shoot('ranks', '/ranks', 'rank-table');
    await page.locator('[data-testid^="edit-rank-"]').first().click();
    await page.getByTestId('rank-settings-form').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-rank-edit.png` });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid^="history-rank-"]').first().click();
    await page.getByTestId('version-history').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-rank-history.png` });
    await shoot('reps', '/reps', 'rep-table');
    await page.getByTestId('rep-name-link').first().click();
    await page.getByTestId('rep-profile').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-rep.png`, fullPage: true });
    await shoot('org', '/org', 'org-tree');
    await page.getByTestId('org-tree').locator('[data-testid^="org-node-"]').nth(1).click();
    await page.getByTestId('org-selected').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-org.png`, fullPage: true });
    await shoot('plans', '/plans', 'plans-table');
    await shoot('plan-wizard', '/plans/new', 'plan-wizard-form');
    await page.goto('/plans');
    await page.getByTestId('plan-link').first().click();
    await page.getByTestId('targets-grid').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-plan.png`, fullPage: true });
    await page.getByTestId('target-explain').first().click();
    await page.getByTestId('explanation-components').waitFor();
    await settle(page);
    await page.screenshot({ path: `${out}/${language}-plan-explain.png` });
    await page.keyboard.press('Escape');
    await shoot('imports', '/imports', 'import-upload');
    await shoot('users', '/admin/users', 'users-table');
    await shoot('tokens', '/admin/tokens', 'tokens-table');
    await shoot('alerts', '/alerts', 'alerts-table');
    await shoot('alert-rules', '/alerts/rules', 'rules-table');
    await shoot('inbox', '/inbox', 'notification-list');
    await shoot('webhooks', '/integrations/webhooks', 'endpoints-table');
    await shoot('jobs', '/integrations/jobs', 'jobs-table');
  });
}
