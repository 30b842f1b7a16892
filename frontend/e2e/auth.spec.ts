import { test, expect, PASSWORD, USER, signIn } from './fixtures';

test.use({ locale: 'en-US' });

test('an anonymous visitor signs in and lands where they were going, then signs out', async ({ page }) => {
  await page.goto('/ranks');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Franks/);
  await expect(page.getByTestId('page-sign-in')).toBeVisible();

  await page.getByTestId('sign-in-username').fill(USER);
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('page-ranks')).toBeVisible();
  await expect(page).toHaveURL(/\/ranks$/);
  await expect(page.getByTestId('user-menu')).toContainText(/admin/i);

  // Signed in already: the sign-in page sends you on.
  await page.goto('/sign-in?next=%2Freps');
  await expect(page.getByTestId('page-reps')).toBeVisible();

  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('page-sign-in')).toBeVisible();
  await page.goto('/reps');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('a wrong password is refused with a readable message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByTestId('sign-in-username').fill('lead');
  await page.getByTestId('sign-in-password').fill('not-the-password');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByText(/password|incorrect|invalid|wrong/i).first()).toBeVisible();
  await expect(page.getByTestId('page-sign-in')).toBeVisible();
});

test('a team lead sees only their team and cannot edit the rank ladder', async ({ page }) => {
  await signIn(page.request, 'lead', 'lead-demo-2026');
  await page.goto('/ranks');
  await expect(page.locator('tbody tr[data-testid^="rank-row-"]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="history-rank-"]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="edit-rank-"]')).toHaveCount(0);

  await page.goto('/reps');
  await expect(page.getByTestId('rep-table').locator('tbody tr[data-testid^="rep-row-"]').first()).toBeVisible();
  const teams = await page.getByTestId('rep-table').locator('tbody tr[data-testid^="rep-row-"] td:nth-child(3)').allInnerTexts();
  expect(new Set(teams).size).toBe(1);
});
