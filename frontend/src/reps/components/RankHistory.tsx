import { Empty, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RepDetailsQuery } from '../../gql/graphql';

type Entry = NonNullable<RepDetailsQuery['rep']>['rankHistory'][number];

/** Newest first: when each rank took effect and why. */
export function RankHistory({ entries }: { entries: Entry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const ordered = [...entries].sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  return (
    <Timeline
      data-testid="rank-history"
      items={ordered.map((entry, index) => ({
        color: index === 0 ? 'blue' : 'gray',
        content: (
          <>
            <Typography.Text type="secondary" className="tabular">{entry.effectiveFrom}</Typography.Text>{' '}
            <Tag color={index === 0 ? 'geekblue' : undefined}>{`${entry.rank.code} · ${entry.rank.name}`}</Tag>
            {entry.reason && (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('rep.reason')}: {entry.reason}
                </Typography.Text>
              </div>
            )}
          </>
        ),
      }))}
    />
  );
}
