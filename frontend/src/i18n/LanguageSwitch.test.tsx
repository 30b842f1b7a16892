import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useTranslation } from 'react-i18next';
import i18n from './index';
import { LanguageSwitch } from './LanguageSwitch';
import { LocaleProvider } from './LocaleProvider';
import { LANGUAGE_STORAGE_KEY, detectLanguage } from './languages';

function Nav() {
  const { t } = useTranslation();
  return <nav data-testid="nav">{t('nav.ranks')}</nav>;
}

describe('LanguageSwitch', () => {
  it('switches the navigation to Chinese and back, and remembers the choice', async () => {
    await i18n.changeLanguage('en');
    const user = userEvent.setup();
    render(
      <LocaleProvider>
        <LanguageSwitch />
        <Nav />
      </LocaleProvider>,
    );
    expect(screen.getByTestId('nav')).toHaveTextContent('Rank ladder');

    await user.click(screen.getByTestId('language-zh-CN'));
    await waitFor(() => expect(screen.getByTestId('nav')).toHaveTextContent('职级体系'));
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');

    await user.click(screen.getByTestId('language-en'));
    await waitFor(() => expect(screen.getByTestId('nav')).toHaveTextContent('Rank ladder'));
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
  });
});

describe('detectLanguage', () => {
  it('prefers the stored choice', () => {
    expect(detectLanguage('en', ['zh-CN'])).toBe('en');
    expect(detectLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
  });

  it('uses English for an English browser', () => {
    expect(detectLanguage(null, ['en-GB', 'zh-CN'])).toBe('en');
  });

  it('defaults to Chinese otherwise', () => {
    expect(detectLanguage(null, ['de-DE'])).toBe('zh-CN');
    expect(detectLanguage(null, [])).toBe('zh-CN');
    expect(detectLanguage('fr', ['zh-TW'])).toBe('zh-CN');
  });
});
