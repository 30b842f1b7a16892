import type { HTMLAttributes } from 'react';
import { Empty, Table, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import type { TargetHistoryQuery } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { targetHistoryQuery } from '../queries';

type Revision = TargetHistoryQuery['targetHistory'][number];

interface Props {
  planId: string;
  repId: string;
  metric?: string;
  /** Shown above the table (default: the section's title). */
  title?: boolean;
}

/**
 * Every dated change of one rep's targets in a plan, newest first, in the chosen language:
 * month, before → after, from when, what made it (override, request, relief, people change), who,
 * why and when. Used in the rep's own view, the adjustment drawer and the plan grid.
 */
export function TargetHistory({ planId, repId, metric = 'revenue', title = true }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [{ data, fetching, error }, refetch] = useQuery({ query: targetHistoryQuery, variables: { planId, repId, metric }, requestPolicy: 'cache-and-network' });
  const rows = [...(data?.targetHistory ?? [])].reverse();
  const source = (value: string) => t(`adjustments.history.sources.${value}`, { defaultValue: value });

  return (
    <div data-testid="target-history">
      {title && <Typography.Title level={5}>{t('adjustments.history.title')}</Typography.Title>}
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<Revision>
          rowKey="id"
          size="small"
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          pagination={rows.length > 12 ? { pageSize: 12, size: 'small', showSizeChanger: false } : false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('adjustments.history.empty')} /> }}
          onRow={() => ({ 'data-testid': 'target-revision' }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('adjustments.history.month'), render: (_, r) => fmt.month(r.month) },
            {
              title: t('adjustments.history.change'),
              align: 'right',
              render: (_, r) => (
                <span data-testid="revision-change" style={{ whiteSpace: 'nowrap' }}>
                  {fmt.number(r.before, 2)} → <Typography.Text strong>{fmt.number(r.after, 2)}</Typography.Text>
                </span>
              ),
            },
            { title: t('adjustments.history.effective'), render: (_, r) => fmt.date(r.effectiveDate) },
            { title: t('adjustments.history.source'), render: (_, r) => source(r.source) },
            { title: t('adjustments.history.by'), dataIndex: 'actor' },
            { title: t('adjustments.history.reason'), render: (_, r) => <Typography.Text style={{ maxWidth: 280, display: 'inline-block' }} ellipsis={{ tooltip: r.reason }}>{r.reason}</Typography.Text> },
            { title: t('adjustments.history.when'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(r.createdAt)}</span> },
          ]}
        />
      </QueryState>
    </div>
  );
}
