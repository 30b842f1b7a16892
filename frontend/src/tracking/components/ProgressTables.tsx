import type { HTMLAttributes } from 'react';
import { Button, Empty, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProgressFiguresFieldsFragment, RepProgressRowFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { TONE_COLORS, formatProbability, paceTone, probabilityTone } from '../figures';

export interface NodeRow {
  node: { id: string; name: string; kind: string };
  figures: ProgressFiguresFieldsFragment;
  atRiskCount: number;
}

function Toned({ value, tone }: { value: string; tone: ReturnType<typeof paceTone> }) {
  return <span style={{ color: TONE_COLORS[tone] }}>{value}</span>;
}

/** Child org units with their figures; a name drills down into the unit. */
export function NodeTable({ rows, onOpen }: { rows: NodeRow[]; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<NodeRow>
      data-testid="drill-table"
      rowKey={(r) => r.node.id}
      scroll={{ x: 'max-content' }}
      size="small"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tracking.noChildren')} /> }}
      onRow={(r) => ({ 'data-testid': `drill-row-${r.node.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('tracking.unit'),
          render: (_, r) => (
            <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(r.node.id)} data-testid="drill-open">
              {r.node.name}
            </Button>
          ),
        },
        { title: t('tracking.repCount'), align: 'right', render: (_, r) => fmt.number(r.figures.reps, 0) },
        { title: t('tracking.actual'), align: 'right', className: 'tabular', render: (_, r) => fmt.amount(r.figures.actual) },
        { title: t('tracking.target'), align: 'right', className: 'tabular', render: (_, r) => fmt.amount(r.figures.target) },
        { title: t('tracking.attainment'), align: 'right', render: (_, r) => fmt.percent(r.figures.attainment, 1) },
        { title: t('tracking.pace'), align: 'right', render: (_, r) => <Toned value={fmt.percent(r.figures.pace)} tone={paceTone(r.figures.pace)} /> },
        { title: t('tracking.projected'), align: 'right', render: (_, r) => <Toned value={fmt.percent(r.figures.projectedAttainment)} tone={paceTone(r.figures.projectedAttainment)} /> },
        { title: t('tracking.shareProjected'), align: 'right', render: (_, r) => fmt.percent(r.figures.shareProjected) },
        {
          title: t('tracking.atRisk'),
          align: 'right',
          render: (_, r) => (r.atRiskCount > 0 ? <Tag color="red">{fmt.number(r.atRiskCount, 0)}</Tag> : fmt.number(0, 0)),
        },
      ]}
    />
  );
}

interface RepTableProps {
  rows: RepProgressRowFieldsFragment[];
  testId: string;
  emptyText: string;
  showTeam?: boolean;
  pagination?: { current: number; pageSize: number; total: number; onChange: (page: number) => void };
}

/** Reps with their figures and P(achieve | actuals so far) against the plan's P. */
export function RepProgressTable({ rows, testId, emptyText, showTeam, pagination }: RepTableProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<RepProgressRowFieldsFragment>
      data-testid={testId}
      rowKey="repId"
      scroll={{ x: 'max-content' }}
      size="small"
      dataSource={rows}
      pagination={pagination && pagination.total > pagination.pageSize ? { ...pagination, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      onRow={(r) => ({ 'data-testid': `${testId}-row-${r.repId}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('tracking.rep'), render: (_, r) => <Link to={`/reps/${r.repId}`}>{r.name}</Link> },
        ...(showTeam ? [{ title: t('tracking.team'), render: (_: unknown, r: RepProgressRowFieldsFragment) => r.teamName }] : []),
        { title: t('tracking.rank'), render: (_, r) => <Typography.Text>{r.rankCode}</Typography.Text> },
        { title: t('tracking.actual'), align: 'right', className: 'tabular', render: (_, r) => fmt.amount(r.actual) },
        { title: t('tracking.target'), align: 'right', className: 'tabular', render: (_, r) => fmt.amount(r.target) },
        { title: t('tracking.attainment'), align: 'right', render: (_, r) => fmt.percent(r.attainment, 1) },
        { title: t('tracking.pace'), align: 'right', render: (_, r) => <Toned value={fmt.percent(r.pace)} tone={paceTone(r.pace)} /> },
        { title: t('tracking.projected'), align: 'right', render: (_, r) => <Toned value={fmt.percent(r.projectedAttainment)} tone={paceTone(r.projectedAttainment)} /> },
        {
          title: t('tracking.probability'),
          align: 'right',
          render: (_, r) => (
            <span title={t('tracking.probabilityHint', { plan: formatProbability(r.planProbability, fmt) })}>
              <Toned value={formatProbability(r.probability, fmt)} tone={probabilityTone(r.probability)} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {' '}
                ({formatProbability(r.planProbability, fmt)})
              </Typography.Text>
            </span>
          ),
        },
      ]}
    />
  );
}
