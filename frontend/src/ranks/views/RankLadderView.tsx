import { Button, Card, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { RankDetailsModal } from './RankDetailsModal';
import { useState } from 'react';
import { useClient, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useLiveChanges, type Change } from '../../graphql/useLiveChanges';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { rankLadderQuery } from '../queries';
import { RankTable, type RankRow } from '../components/RankTable';
import { RankSettingsDrawer } from './RankSettingsDrawer';
import { RankHistoryDrawer } from './RankHistoryDrawer';

export default function RankLadderView() {
  const { t } = useTranslation();
  const client = useClient();
  const canEdit = can(useMe(), 'manage_ranks');
  const [{ data, fetching, error }, refetch] = useQuery({ query: rankLadderQuery });
  // The rank being edited is a snapshot: a live refresh must not reset a form mid-edit.
  const [editing, setEditing] = useState<RankRow>();
  const [externalChange, setExternalChange] = useState<Change>();
  const [historyId, setHistoryId] = useState<string>();
  const [details, setDetails] = useState<{ rank?: RankRow }>();
  const ranks = data?.ranks ?? [];
  const history = ranks.find((r) => r.id === historyId);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  useLiveChanges('rank', (change) => {
    reload();
    if (editing && change.entityId === editing.id) setExternalChange(change);
  });

  const reloadEditing = async () => {
    const result = await client.query(rankLadderQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    const fresh = result.data?.ranks.find((r) => r.id === editing?.id);
    if (fresh) setEditing(fresh);
    setExternalChange(undefined);
  };

  const closeEditor = () => {
    setEditing(undefined);
    setExternalChange(undefined);
  };

  return (
    <div data-testid="page-ranks">
      <PageHeader
        title={t('ranks.title')}
        extra={
          <Space>
            <Typography.Text type="secondary">{t('common.total', { count: ranks.length })}</Typography.Text>
            {canEdit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDetails({})} data-testid="new-rank">
                {t('ranks.newRank')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          {data && (
            <RankTable
              ranks={data.ranks}
              metrics={data.metrics}
              canEdit={canEdit}
              onEdit={(rank) => setEditing(rank)}
              onHistory={(rank) => setHistoryId(rank.id)}
              onEditDetails={(rank) => setDetails({ rank })}
            />
          )}
        </QueryState>
      </Card>
      <RankSettingsDrawer
        rank={editing}
        catalogue={data?.metrics ?? []}
        externalChange={externalChange}
        onClose={closeEditor}
        onReloadLatest={reloadEditing}
      />
      {details && (
        <RankDetailsModal
          key={details.rank?.id ?? 'new'}
          open
          rank={details.rank}
          nextLevel={Math.max(0, ...ranks.map((r) => r.level)) + 1}
          onClose={(changed) => {
            setDetails(undefined);
            if (changed) reload();
          }}
        />
      )}
      <RankHistoryDrawer
        rankId={history?.id}
        rankName={history ? `${history.code} ${history.name}` : undefined}
        onClose={() => setHistoryId(undefined)}
      />
    </div>
  );
}
