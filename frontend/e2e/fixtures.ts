import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

/** A demo account (`quotient demo` prints them); override with E2E_USER / E2E_PASSWORD. */
export const USER = process.env.E2E_USER ?? 'admin';
export const PASSWORD = process.env.E2E_PASSWORD ?? `${USER}-demo-2026`;

const SIGN_IN = `mutation($username: String!, $password: String!) {
  signIn(username: $username, password: $password) { csrfToken errors { code message } } }`;

/** Sign in through the API; the session and CSRF cookies land in the request's cookie jar. */
export async function signIn(request: APIRequestContext, username = USER, password = PASSWORD): Promise<string> {
  const response = await request.post('/graphql', { data: { query: SIGN_IN, variables: { username, password } } });
  const body = (await response.json()) as { data?: { signIn: { csrfToken: string | null; errors: { message: string }[] } } };
  const payload = body.data?.signIn;
  if (!payload?.csrfToken) throw new Error(`sign-in as ${username} failed: ${JSON.stringify(body)}`);
  return payload.csrfToken;
}

type Language = 'zh-CN' | 'en';

/** Open a page in a given language (the choice the language switch would have stored). */
export async function openApp(page: Page, path: string, language: Language = 'en') {
  await signIn(page.request); // the page's context shares this cookie jar
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
