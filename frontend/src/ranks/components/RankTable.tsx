import type { HTMLAttributes } from 'react';
import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, FormOutlined, HistoryOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MetricFieldsFragment, RankLadderQuery } from '../../gql/graphql';
import { attainmentPercent, formatMetricValue, formatWeight } from '../format';

export type RankRow = RankLadderQuery['ranks'][number];

interface Props {
  ranks: RankRow[];
  metrics: MetricFieldsFragment[];
  onEdit: (rank: RankRow) => void;
  onHistory: (rank: RankRow) => void;
  onEditDetails?: (rank: RankRow) => void;
  /** The caller may change the ladder (the API's `manage_ranks`). */
  canEdit?: boolean;
}

/** The ladder: one row per rank, one column per metric with baseline and weight. */
export function RankTable({ ranks, metrics, onEdit, onHistory, onEditDetails, canEdit = true }: Props) {
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
    width: 112,
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
    { key: 'level', title: t('ranks.level'), dataIndex: 'level', width: 60, align: 'center' },
    {
      key: 'rank',
      title: t('ranks.name'),
      width: 240,
      render: (_, rank) => (
        <Space orientation="vertical" size={0}>
          <Space size={6}>
            <Tag color="geekblue">{rank.code}</Tag>
            <Typography.Text strong title={rank.description || undefined}>
              {rank.name}
            </Typography.Text>
            {canEdit && onEditDetails && (
              <Tooltip title={t('ranks.editDetails')}>
                <Button
                  type="link"
                  size="small"
                  icon={<FormOutlined />}
                  aria-label={t('ranks.editDetails')}
                  onClick={() => onEditDetails(rank)}
                  data-testid={`details-rank-${rank.code}`}
                />
              </Tooltip>
            )}
          </Space>
          {rank.currentSettings && <RulesSummary settings={rank.currentSettings} />}
        </Space>
      ),
    },
    { key: 'repCount', title: t('ranks.repCount'), dataIndex: 'repCount', width: 70, align: 'right' },
    {
      key: 'version',
      title: t('ranks.version'),
      width: 104,
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
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: 96,
      align: 'center',
      render: (_, rank) => (
        <Space size={4}>
          {canEdit && (
            <Tooltip title={t('ranks.editSettings')}>
              <Button
                type="text"
                icon={<EditOutlined />}
                aria-label={t('ranks.editSettings')}
                onClick={() => onEdit(rank)}
                data-testid={`edit-rank-${rank.code}`}
              />
            </Tooltip>
          )}
          <Tooltip title={t('ranks.history')}>
            <Button
              type="text"
              icon={<HistoryOutlined />}
              aria-label={t('ranks.history')}
              onClick={() => onHistory(rank)}
              data-testid={`history-rank-${rank.code}`}
            />
          </Tooltip>
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
      scroll={{ x: 1120 }}
      onRow={(rank) => ({ 'data-testid': `rank-row-${rank.code}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}

/** One line for the promotion and demotion rules; the full sentences on hover. */
function RulesSummary({ settings: s }: { settings: NonNullable<RankRow['currentSettings']> }) {
  const { t } = useTranslation();
  const up = attainmentPercent(s.promotionThreshold);
  const down = attainmentPercent(s.demotionThreshold);
  return (
    <Tooltip
      title={
        <>
          <div>
            {t('ranks.promotion')}: {t('ranks.promotionRule', { threshold: up, quarters: s.promotionQuarters, tenure: s.minTenureMonths })}
          </div>
          <div>
            {t('ranks.demotion')}: {t('ranks.demotionRule', { threshold: down, quarters: s.demotionQuarters })}
          </div>
        </>
      }
    >
      <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'pre' }}>
        {t('ranks.rulesShort', { up, upQ: s.promotionQuarters, tenure: s.minTenureMonths, down, downQ: s.demotionQuarters })}
      </Typography.Text>
    </Tooltip>
  );
}
