import { Alert, Card, Space, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { reportCounts } from '../mappingState';

/** Why a run failed (a dry run that could use no row, a commit refused before writing). */
export function RunFailure({ run }: { run: { status: string; message: string } }) {
  const { t } = useTranslation();
  if (run.status !== 'failed') return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="import-failure"
      title={t('imports.failedTitle')}
      description={
        <>
          <div data-testid="import-failure-reason" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {run.message || t('imports.failedNoReason')}
          </div>
          <div style={{ marginTop: 8 }}>{t('imports.failedHelp')}</div>
        </>
      }
    />
  );
}

/** The run's row totals: read, imported, fixed, duplicates, rejected, excluded (cancelled lines,
 * when the report has them) and the monthly actuals written. */
export function RunTotals({ counts }: { counts: unknown }) {
  const { t } = useTranslation();
  const totals = reportCounts(counts);
  if (!totals.length) return null;
  return (
    <Card size="small" title={t('imports.totals')} data-testid="import-totals">
      <Space size={24} wrap>
        {totals.map(({ key, value }) => (
          <Statistic
            key={key}
            title={t(`imports.countNames.${key}`)}
            value={value}
            valueRender={(n) => <span data-testid={`import-count-${key}`}>{n}</span>}
          />
        ))}
      </Space>
    </Card>
  );
}
