import { useState, type ReactNode } from 'react';
import { Breadcrumb, Button, Card, Col, Progress, Row, Segmented, Space, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useLiveChanges } from '../../graphql/useLiveChanges';
import { useFormat } from '../../i18n/format';
import { elapsedShare } from '../figures';
import { trackingDashboardQuery } from '../queries';
import { HeadlineCards } from '../components/HeadlineCards';
import { RankDistributionChart } from '../components/RankDistributionChart';
import { WeeklyTrendChart } from '../components/WeeklyTrendChart';
import { NodeTable, RepProgressTable } from '../components/ProgressTables';

const AT_RISK_PAGE = 10;
const MEMBERS_PAGE = 50;

/**
 * Progress against the active plan for planners and managers: headline figures, the
 * distribution per rank, drill-down company > branch > team > rep (`?node=` in the URL), the
 * at-risk list and the weekly trend. `onNoPlan` renders instead when no plan is tracked.
 */
export default function TrackingView({ onNoPlan }: { onNoPlan: () => ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const node = params.get('node') ?? undefined;
  const [atRiskPage, setAtRiskPage] = useState(1);
  const [membersPage, setMembersPage] = useState(1);
  const [mode, setMode] = useState<'pace' | 'projected'>('pace');
  const [{ data, fetching, error }, refetch] = useQuery({
    query: trackingDashboardQuery,
    variables: { orgUnitId: node ?? null, atRiskOffset: (atRiskPage - 1) * AT_RISK_PAGE, membersOffset: (membersPage - 1) * MEMBERS_PAGE },
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLiveChanges('actuals', reload);
  const open = (id: string | null) => {
    setAtRiskPage(1);
    setMembersPage(1);
    setParams(id ? { node: id } : {}, { replace: false });
  };

  const dash = data?.trackingDashboard;
  if (data && !dash) return <>{onNoPlan()}</>;
  const metricName = data?.metrics.find((m) => m.code === dash?.metricCode)?.name ?? dash?.metricCode ?? '';

  return (
    <div data-testid="page-tracking">
      <PageHeader
        title={t('tracking.title')}
        extra={
          <Link to="/overview" data-testid="overview-link">
            <Button>{t('tracking.overviewLink')}</Button>
          </Link>
        }
      />
      <QueryState fetching={fetching} error={error} hasData={!!dash} onRetry={reload}>
        {dash && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" variant="borderless">
              <Typography.Text data-testid="tracking-subtitle">{t('tracking.subtitle', { plan: dash.planName, metric: metricName, date: fmt.date(dash.asOf) })}</Typography.Text>
              <Progress
                percent={Math.round(elapsedShare(dash.elapsedMonths, dash.periodMonths) * 100)}
                showInfo={false}
                size="small"
                style={{ margin: '4px 0 0' }}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('tracking.elapsed', { elapsed: fmt.number(dash.elapsedMonths, 1), months: dash.periodMonths })}
              </Typography.Text>
              <Breadcrumb
                data-testid="tracking-trail"
                style={{ marginTop: 8 }}
                items={dash.trail.map((unit, i) => ({
                  key: unit.id,
                  title:
                    i < dash.trail.length - 1 ? (
                      <a onClick={() => open(i === 0 ? null : unit.id)} data-testid={`trail-${unit.id}`}>
                        {unit.name}
                      </a>
                    ) : (
                      <Typography.Text strong>{unit.name}</Typography.Text>
                    ),
                }))}
              />
            </Card>
            <HeadlineCards figures={dash.headline.figures} atRiskCount={dash.headline.atRiskCount} />
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={12}>
                <Card
                  size="small"
                  title={t('tracking.distribution')}
                  extra={
                    <Segmented
                      size="small"
                      value={mode}
                      onChange={(v) => setMode(v as 'pace' | 'projected')}
                      options={[
                        { value: 'pace', label: t('tracking.distributionPace') },
                        { value: 'projected', label: t('tracking.distributionProjected') },
                      ]}
                    />
                  }
                >
                  <RankDistributionChart ranks={dash.ranks} edges={dash.bucketEdges} mode={mode} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('tracking.distributionHelp')}
                  </Typography.Text>
                </Card>
              </Col>
              <Col xs={24} xl={12}>
                <Card size="small" title={t('tracking.trend')}>
                  <WeeklyTrendChart weeks={dash.weeks} />
                </Card>
              </Col>
            </Row>
            {dash.children.length > 0 ? (
              <Card size="small" title={t('tracking.drillDown')}>
                <NodeTable rows={dash.children} onOpen={open} />
              </Card>
            ) : (
              <Card size="small" title={t('tracking.membersOf', { name: dash.headline.node.name })}>
                <RepProgressTable
                  rows={dash.members.items}
                  testId="members-table"
                  emptyText={t('tracking.noChildren')}
                  pagination={{ current: membersPage, pageSize: MEMBERS_PAGE, total: dash.members.totalCount, onChange: setMembersPage }}
                />
              </Card>
            )}
            <Card size="small" title={t('tracking.atRiskList')}>
              <RepProgressTable
                rows={dash.atRisk.items}
                testId="at-risk-table"
                emptyText={t('tracking.atRiskEmpty')}
                showTeam
                pagination={{ current: atRiskPage, pageSize: AT_RISK_PAGE, total: dash.atRisk.totalCount, onChange: setAtRiskPage }}
              />
            </Card>
          </Space>
        )}
      </QueryState>
    </div>
  );
}
