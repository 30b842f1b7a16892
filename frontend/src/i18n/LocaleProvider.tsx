import { useEffect, type ReactNode } from 'react';
import { ConfigProvider, App as AntApp } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from './languages';

const antdLocales = { en: enUS, 'zh-CN': zhCN } as const;
const dayjsLocales: Record<Language, string> = { en: 'en', 'zh-CN': 'zh-cn' };

/** Keeps antd, dayjs and <html lang> in step with the i18next language. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const language: Language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';

  useEffect(() => {
    dayjs.locale(dayjsLocales[language]);
    document.documentElement.lang = language;
  }, [language]);

  return (
    <ConfigProvider
      locale={antdLocales[language]}
      theme={{ token: { colorPrimary: '#1f5eff', borderRadius: 6 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
