import { Progress, Space, Typography } from 'antd';
import { useSubscription } from 'urql';
import { useTranslation } from 'react-i18next';
import { importProgressSubscription } from '../queries';

/** Live steps of a running dry run or commit: the phase, its units and a bar. */
export function ImportProgressBar({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const [{ data }] = useSubscription({ query: importProgressSubscription, variables: { runId } });
  const step = data?.importProgress;
  const detail = step && step.total > 1 ? ` (${step.done} / ${step.total})` : '';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-progress">
      <Typography.Text type="secondary">{step ? `${step.phase}${detail}` : t('imports.running')}</Typography.Text>
      <Progress percent={Math.round((step?.fraction ?? 0) * 100)} status="active" />
    </Space>
  );
}
