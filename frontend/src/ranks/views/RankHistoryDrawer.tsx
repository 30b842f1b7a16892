import { Drawer } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { rankVersionsQuery } from '../queries';
import { VersionHistory } from '../components/VersionHistory';

interface Props {
  rankId?: string;
  rankName?: string;
  onClose: () => void;
}

export function RankHistoryDrawer({ rankId, rankName, onClose }: Props) {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: rankVersionsQuery,
    variables: { id: rankId ?? '' },
    pause: !rankId,
    requestPolicy: 'cache-and-network',
  });
  const rank = data?.rank;
  return (
    <Drawer
      open={!!rankId}
      onClose={onClose}
      size={760}
      title={t('ranks.historyOf', { name: rankName ?? '' })}
      data-testid="history-drawer"
      destroyOnHidden
    >
      <QueryState fetching={fetching} error={error} hasData={!!rank} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        {rank && <VersionHistory versions={rank.versions} currentVersion={rank.currentSettings?.version} />}
      </QueryState>
    </Drawer>
  );
}
