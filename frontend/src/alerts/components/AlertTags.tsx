import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertSeverity, AlertState } from '../../gql/graphql';
import { SEVERITY_COLORS, STATE_COLORS } from '../transitions';

export function SeverityTag({ severity }: { severity: AlertSeverity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLORS[severity]} data-testid="alert-severity">
      {t(`alerts.severities.${severity}`)}
    </Tag>
  );
}

export function StateTag({ state }: { state: AlertState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="alert-state">
      {t(`alerts.states.${state}`)}
    </Tag>
  );
}
