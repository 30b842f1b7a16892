import { test, expect, signIn } from './fixtures';

test.use({ locale: 'zh-CN' });

test('the navigation switches between Chinese and English and the choice persists', async ({ page }) => {
  await signIn(page.request);
  await page.goto('/');
  await expect(page.getByTestId('nav-ranks')).toHaveText('职级体系');
  await expect(page.getByTestId('nav-reps')).toHaveText('销售人员');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.getByTestId('language-en').click();
  await expect(page.getByTestId('nav-ranks')).toHaveText('Rank ladder');
  await expect(page.getByTestId('nav-reps')).toHaveText('Sales reps');
  await expect(page.getByTestId('nav-dashboard')).toHaveText('Dashboard');

  await page.reload();
  await expect(page.getByTestId('nav-ranks')).toHaveText('Rank ladder');

  await page.getByTestId('language-zh-CN').click();
  await expect(page.getByTestId('nav-org')).toHaveText('组织架构');
});

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });
  test('starts in English', async ({ page }) => {
    await signIn(page.request);
    await page.goto('/');
    await expect(page.getByTestId('nav-ranks')).toHaveText('Rank ladder');
  });
});
