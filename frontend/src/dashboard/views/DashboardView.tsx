import { Card, Col, Row, Table, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { Chart } from '../../charts/Chart';
import { dashboardOverviewQuery } from '../queries';
import { StatCards } from '../components/StatCards';
import { RepsByRankChart } from '../components/RepsByRankChart';
import type { OrgUnitKind } from '../../gql/graphql';

const KINDS: OrgUnitKind[] = ['COMPANY', 'REGION', 'BRANCH', 'TEAM'];

export default function DashboardView() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: dashboardOverviewQuery });

  const orgUnits = data?.orgUnits ?? [];
  const countByKind = (kind: OrgUnitKind) => orgUnits.filter((u) => u.kind === kind).length;

  return (
    <div data-testid="page-dashboard">
      <PageHeader
        title={t('dashboard.title')}
        extra={<Typography.Text type="secondary">{t('dashboard.note')}</Typography.Text>}
      />
      <QueryState
        fetching={fetching}
        error={error}
        hasData={!!data}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      >
        {data && (
          <>
            <StatCards
              stats={[
                { key: 'reps', title: t('dashboard.activeReps'), value: data.reps.totalCount },
                { key: 'org-units', title: t('dashboard.orgUnits'), value: orgUnits.length },
                { key: 'teams', title: t('dashboard.teams'), value: countByKind('TEAM') },
                { key: 'ranks', title: t('dashboard.ranks'), value: data.ranks.length },
                { key: 'regions', title: t('dashboard.regions'), value: data.regions.length },
                { key: 'metrics', title: t('dashboard.metrics'), value: data.metrics.length },
              ]}
            />
            <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} xl={14}>
                <Card title={t('dashboard.repsByRank')} size="small">
                  <RepsByRankChart ranks={data.ranks} seriesName={t('common.reps')} />
                </Card>
              </Col>
              <Col xs={24} xl={10}>
                <Card title={t('dashboard.orgByKind')} size="small">
                  <Chart
                    testId="chart-org-by-kind"
                    height={280}
                    option={{
                      tooltip: { trigger: 'item' },
                      legend: { bottom: 0 },
                      series: [
                        {
                          type: 'pie',
                          radius: ['45%', '70%'],
                          center: ['50%', '45%'],
                          label: { formatter: '{b}: {c}' },
                          data: KINDS.map((kind) => ({ name: t(`kind.${kind}`), value: countByKind(kind) })),
                        },
                      ],
                    }}
                  />
                </Card>
              </Col>
            </Row>
            <Card title={t('dashboard.metricCatalogue')} size="small" style={{ marginTop: 16 }}>
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={data.metrics}
                data-testid="metric-catalogue"
                columns={[
                  { title: t('ranks.code'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
                  { title: t('ranks.metric'), dataIndex: 'name' },
                  {
                    title: t('org.kind'),
                    dataIndex: 'kind',
                    render: (kind: 'ADDITIVE' | 'RATIO') => (
                      <Tag color={kind === 'ADDITIVE' ? 'blue' : 'purple'}>{t(`metricKind.${kind}`)}</Tag>
                    ),
                  },
                  { title: t('dashboard.unit'), dataIndex: 'unit' },
                  { title: t('dashboard.description'), dataIndex: 'description', ellipsis: true },
                ]}
              />
            </Card>
          </>
        )}
      </QueryState>
    </div>
  );
}
