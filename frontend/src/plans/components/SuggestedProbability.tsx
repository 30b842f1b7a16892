import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatProbability } from '../format';

/** The design point a suggested goal implies: the P(achieve) of a rep when the suggestion is
 * split at equal difficulty (from the generated plan's forecasts); pending before generation. */
export function SuggestedProbability({ metricCode, probability }: { metricCode: string; probability: number | null | undefined }) {
  const { t } = useTranslation();
  const known = probability !== null && probability !== undefined;
  return (
    <Tooltip title={known ? t('plans.suggestedProbabilityHelp', { p: formatProbability(probability) }) : t('plans.suggestedProbabilityPending')}>
      <Typography.Text type={known ? undefined : 'secondary'} data-testid={`plan-suggested-p-${metricCode}`}>
        {formatProbability(probability)}
      </Typography.Text>
    </Tooltip>
  );
}
