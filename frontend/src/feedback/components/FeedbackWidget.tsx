import { Card, Divider, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { targetFeedbackQuery } from '../queries';
import { mayRespond } from '../feedback';
import { FeedbackForm } from './FeedbackForm';
import { FeedbackList } from './FeedbackList';

interface Props {
  planId: string;
  repId: string;
  metric: string;
  /** Render without a card (inside a drawer). */
  bare?: boolean;
}

const PAGE = 20;

/**
 * Feedback on one rep's target for one metric: the rep (or a manager) rates it, and a decider in
 * scope responds. Shown on the rep's home and in the plan grid's rep drawer.
 */
export function FeedbackWidget({ planId, repId, metric, bare = false }: Props) {
  const { t } = useTranslation();
  const me = useMe();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: targetFeedbackQuery,
    variables: { planId, repId, metric, limit: PAGE, offset: 0 },
    requestPolicy: 'cache-and-network',
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const page = data?.targetFeedback;
  const body = (
    <div data-testid="feedback-widget">
      {can(me, 'request_adjustments') && <FeedbackForm planId={planId} repId={repId} metric={metric} onSent={reload} />}
      <Divider plain titlePlacement="start" style={{ margin: '12px 0 4px' }}>
        {t('feedback.earlier')} {page ? `(${page.totalCount})` : ''}
      </Divider>
      <QueryState fetching={fetching && !data} error={error} hasData={!!data} onRetry={reload}>
        <FeedbackList items={page?.items ?? []} canRespond={(item) => mayRespond(me?.actions ?? [], me?.username, item)} onResponded={reload} />
      </QueryState>
    </div>
  );
  if (bare)
    return (
      <>
        <Typography.Title level={5}>{t('feedback.title')}</Typography.Title>
        {body}
      </>
    );
  return (
    <Card size="small" title={t('feedback.title')}>
      {body}
    </Card>
  );
}
