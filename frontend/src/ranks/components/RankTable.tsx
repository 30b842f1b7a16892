import type { HTMLAttributes } from 'react';
import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, HistoryOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MetricFieldsFragment, RankLadderQuery } from '../../gql/graphql';
import { attainmentPercent, formatMetricValue, formatWeight } from '../format';

export type RankRow = RankLadderQuery['ranks'][number];

interface Props {
  ranks: RankRow[];
  metrics: MetricFieldsFragment[];
  onEdit: (rank: RankRow) => void;
  onHistory: (rank: RankRow) => void;
}

/** The ladder: one row per rank, one column per metric with baseline and weight. */
export function RankTable({ ranks, metrics, onEdit, onHistory }: Props) {
  const { t, i18n } = useTranslation();
  const ordered = [...ranks].sort((a, b) => a.level - b.level);

  const metricColumns: TableColumnsType<RankRow> = metrics.map((metric) => ({
    key: `metric-${metric.code}`,
    title: (
      <Tooltip title={`${metric.code}${metric.unit ? ` (${metric.unit})` : ''}`}>
        <span>{metric.name}</span>
      </Tooltip>
    ),
    align: 'right',
    width: 120,
    render: (_, rank) => {
      const setting = rank.currentSettings?.metrics.find((m) => m.metric.code === metric.code);
      if (!setting) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
      return (
        <div className="tabular">
          <div data-testid={`baseline-${rank.code}-${metric.code}`}>
            {formatMetricValue(setting.baseline, i18n.language, { isInteger: metric.isInteger, unit: metric.unit })}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            {t('ranks.weight')} {formatWeight(setting.weight)}
          </Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
            ×{setting.floorMultiplier}–{setting.ceilingMultiplier}
          </Typography.Text>
        </div>
      );
    },
  }));

  const columns: TableColumnsType<RankRow> = [
    { key: 'level', title: t('ranks.level'), dataIndex: 'level', width: 70, align: 'center' },
    {
      key: 'rank',
      title: t('ranks.name'),
      width: 180,
      render: (_, rank) => (
        <Space orientation="vertical" size={0}>
          <Space size={6}>
            <Tag color="geekblue">{rank.code}</Tag>
            <Typography.Text strong>{rank.name}</Typography.Text>
          </Space>
          {rank.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: rank.description }}>
              {rank.description}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { key: 'repCount', title: t('ranks.repCount'), dataIndex: 'repCount', width: 70, align: 'right' },
    {
      key: 'version',
      title: t('ranks.version'),
      width: 120,
      render: (_, rank) => {
        const current = rank.currentSettings;
        const latest = rank.latestSettings;
        return (
          <Space orientation="vertical" size={0}>
            {current ? (
              <>
                <Typography.Text data-testid={`version-${rank.code}`}>v{current.version}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {current.effectiveFrom}
                </Typography.Text>
              </>
            ) : (
              <Typography.Text type="secondary">{t('ranks.noSettings')}</Typography.Text>
            )}
            {latest && latest.id !== current?.id && (
              <Tag color="gold" style={{ marginTop: 4 }} data-testid={`scheduled-${rank.code}`}>
                {t('ranks.scheduled', { version: latest.version, date: latest.effectiveFrom })}
              </Tag>
            )}
          </Space>
        );
      },
    },
    ...metricColumns,
    {
      key: 'rules',
      title: `${t('ranks.promotion')} / ${t('ranks.demotion')}`,
      width: 210,
      render: (_, rank) => {
        const s = rank.currentSettings;
        if (!s) return null;
        return (
          <div style={{ fontSize: 12 }}>
            <div>
              ↑ {t('ranks.promotionRule', { threshold: attainmentPercent(s.promotionThreshold), quarters: s.promotionQuarters, tenure: s.minTenureMonths })}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              ↓ {t('ranks.demotionRule', { threshold: attainmentPercent(s.demotionThreshold), quarters: s.demotionQuarters })}
            </Typography.Text>
          </div>
        );
      },
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: 120,
      render: (_, rank) => (
        <Space orientation="vertical" size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(rank)} data-testid={`edit-rank-${rank.code}`}>
            {t('ranks.editSettings')}
          </Button>
          <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => onHistory(rank)} data-testid={`history-rank-${rank.code}`}>
            {t('ranks.history')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Table<RankRow>
      data-testid="rank-table"
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={ordered}
      pagination={false}
      scroll={{ x: 1320 }}
      onRow={(rank) => ({ 'data-testid': `rank-row-${rank.code}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}
