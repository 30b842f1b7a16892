import { test as base, expect, type Page } from '@playwright/test';

type Language = 'zh-CN' | 'en';

/** Open a page in a given language (the choice the language switch would have stored). */
export async function openApp(page: Page, path: string, language: Language = 'en') {
  await page.addInitScript((lang) => {
    if (!window.sessionStorage.getItem('e2e-language-set')) {
      window.localStorage.setItem('quotient.language', lang);
      window.sessionStorage.setItem('e2e-language-set', '1');
    }
  }, language);
  await page.goto(path);
}

/** Every test fails on a console error or an uncaught exception in the page. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
