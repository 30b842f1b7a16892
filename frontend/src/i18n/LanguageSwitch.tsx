import { Segmented } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, isLanguage, persistLanguage, type Language } from './languages';

/** Header control: switches i18next (and so antd) and remembers the choice. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';

  const change = (value: Language) => {
    persistLanguage(value);
    void i18n.changeLanguage(value);
  };

  return (
    <span data-testid="language-switch" aria-label={t('language.label')} style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      <TranslationOutlined aria-hidden />
      <Segmented<Language>
        size="small"
        value={current}
        onChange={change}
        options={LANGUAGES.map((language) => ({
          value: language,
          label: <span data-testid={`language-${language}`}>{t(`language.${language}`)}</span>,
        }))}
      />
    </span>
  );
}
