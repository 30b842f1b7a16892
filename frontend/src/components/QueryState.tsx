import type { ReactNode } from 'react';
import { Alert, Button, Skeleton } from 'antd';
import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';

interface Props {
  fetching: boolean;
  error?: CombinedError;
  hasData: boolean;
  onRetry?: () => void;
  children: ReactNode;
}

/** Loading skeleton, readable error with retry, or the content. */
export function QueryState({ fetching, error, hasData, onRetry, children }: Props) {
  const { t } = useTranslation();
  if (error && !hasData) {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="load-error"
        title={t('common.loadError')}
        description={error.graphQLErrors.map((e) => e.message).join('; ') || error.networkError?.message || error.message}
        action={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
      />
    );
  }
  if (fetching && !hasData) return <Skeleton active paragraph={{ rows: 6 }} />;
  return <>{children}</>;
}
