import { Card, Typography } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { rankLadderQuery } from '../queries';
import { RankTable } from '../components/RankTable';
import { RankSettingsDrawer } from './RankSettingsDrawer';
import { RankHistoryDrawer } from './RankHistoryDrawer';

export default function RankLadderView() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: rankLadderQuery });
  const [editingId, setEditingId] = useState<string>();
  const [historyId, setHistoryId] = useState<string>();
  const ranks = data?.ranks ?? [];
  const editing = ranks.find((r) => r.id === editingId);
  const history = ranks.find((r) => r.id === historyId);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <div data-testid="page-ranks">
      <PageHeader
        title={t('ranks.title')}
        extra={
          <Typography.Text type="secondary">
            {t('common.total', { count: ranks.length })}
          </Typography.Text>
        }
      />
      <Card>
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          {data && (
            <RankTable
              ranks={data.ranks}
              metrics={data.metrics}
              onEdit={(rank) => setEditingId(rank.id)}
              onHistory={(rank) => setHistoryId(rank.id)}
            />
          )}
        </QueryState>
      </Card>
      <RankSettingsDrawer rank={editing} catalogue={data?.metrics ?? []} onClose={() => setEditingId(undefined)} onReloadLatest={reload} />
      <RankHistoryDrawer
        rankId={history?.id}
        rankName={history ? `${history.code} ${history.name}` : undefined}
        onClose={() => setHistoryId(undefined)}
      />
    </div>
  );
}
