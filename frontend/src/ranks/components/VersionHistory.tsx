import type { HTMLAttributes } from 'react';
import { Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { RankSettingsFieldsFragment } from '../../gql/graphql';
import { attainmentPercent, formatMetricValue, formatWeight } from '../format';

interface Props {
  versions: RankSettingsFieldsFragment[];
  currentVersion?: number;
}

/** Effective-dated versions, newest first; history is never rewritten, only appended. */
export function VersionHistory({ versions, currentVersion }: Props) {
  const { t, i18n } = useTranslation();
  const ordered = [...versions].sort((a, b) => b.version - a.version);
  return (
    <Table<RankSettingsFieldsFragment>
      data-testid="version-history"
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={ordered}
      onRow={(v) => ({ 'data-testid': `version-row-${v.version}` }) as HTMLAttributes<HTMLElement>}
      expandable={{
        expandedRowRender: (v) => (
          <Table
            size="small"
            rowKey={(m) => m.metric.code}
            pagination={false}
            dataSource={v.metrics}
            columns={[
              { title: t('ranks.metric'), render: (_, m) => m.metric.name },
              { title: t('ranks.weight'), align: 'right', render: (_, m) => formatWeight(m.weight) },
              {
                title: t('ranks.baseline'),
                align: 'right',
                render: (_, m) => formatMetricValue(m.baseline, i18n.language, { isInteger: m.metric.isInteger, unit: m.metric.unit }),
              },
              { title: t('ranks.floor'), align: 'right', dataIndex: 'floorMultiplier' },
              { title: t('ranks.ceiling'), align: 'right', dataIndex: 'ceilingMultiplier' },
            ]}
          />
        ),
      }}
      columns={[
        {
          title: t('ranks.version'),
          width: 110,
          render: (_, v) => (
            <>
              <Typography.Text strong>v{v.version}</Typography.Text>
              {v.version === currentVersion && (
                <Tag color="green" style={{ marginLeft: 6 }}>
                  {t('ranks.current')}
                </Tag>
              )}
            </>
          ),
        },
        { title: t('ranks.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120 },
        {
          title: t('ranks.createdAt'),
          width: 150,
          render: (_, v) => dayjs(v.createdAt).format('YYYY-MM-DD HH:mm'),
        },
        {
          title: t('ranks.promotion'),
          width: 90,
          render: (_, v) => `≥ ${attainmentPercent(v.promotionThreshold)}%`,
        },
        { title: t('ranks.createdBy'), dataIndex: 'createdBy', width: 100, ellipsis: true },
        { title: t('ranks.note'), dataIndex: 'note', ellipsis: true, render: (note: string) => <span data-testid="version-note">{note}</span> },
      ]}
    />
  );
}
