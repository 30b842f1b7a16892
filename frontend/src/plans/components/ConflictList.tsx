import { Alert, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatAmount } from '../format';

export interface Conflict {
  family: string;
  node: string;
  metric: string;
  amount?: number | null;
  message: string;
}

/** Infeasible constraints, one readable line each. */
export function ConflictList({ conflicts }: { conflicts: readonly Conflict[] }) {
  const { t } = useTranslation();
  if (conflicts.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="plan-conflicts"
      style={{ marginBottom: 16 }}
      title={t('plans.conflicts', { count: conflicts.length })}
      description={
        <List
          size="small"
          dataSource={[...conflicts]}
          pagination={conflicts.length > 10 ? { pageSize: 10, size: 'small' } : false}
          renderItem={(c) => (
            <List.Item>
              <Typography.Text>
                <b>{c.node}</b> · {c.metric} · {c.family}
                {c.amount !== null && c.amount !== undefined ? ` (${formatAmount(c.amount)})` : ''}: {c.message}
              </Typography.Text>
            </List.Item>
          )}
        />
      }
    />
  );
}
