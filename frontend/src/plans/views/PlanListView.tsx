import { useMemo } from 'react';
import { Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { plansQuery } from '../queries';
import type { PlanFieldsFragment, PlanStatus } from '../../gql/graphql';
import { formatAmount, periodLabel, STATUS_COLORS } from '../format';

const STATUSES: PlanStatus[] = ['DRAFT', 'SUBMITTED', 'APPROVED', 'ACTIVE', 'CLOSED'];

export default function PlanListView() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as PlanStatus | null) ?? null;
  const [{ data, fetching, error }, refetch] = useQuery({ query: plansQuery, variables: { status } });
  const unitNames = useMemo(() => new Map((data?.orgUnits ?? []).map((u) => [u.id, u.name])), [data]);

  return (
    <>
      <PageHeader
        title={t('plans.title')}
        testId="plans-title"
        extra={
          <Space>
            <Select
              data-testid="plans-status-filter"
              allowClear
              placeholder={t('plans.status')}
              value={status ?? undefined}
              style={{ width: 160 }}
              options={STATUSES.map((s) => ({ value: s, label: t(`plans.statuses.${s}`) }))}
              onChange={(value?: PlanStatus) => setParams(value ? { status: value } : {})}
            />
            {can(me, 'plan') && (
              <Button type="primary" icon={<PlusOutlined />} data-testid="plan-new" onClick={() => navigate('/plans/new')}>
                {t('plans.new')}
              </Button>
            )}
          </Space>
        }
      />
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<PlanFieldsFragment>
          data-testid="plans-table"
          rowKey="id"
          size="middle"
          dataSource={data?.plans ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('plans.empty') }}
          columns={[
            {
              title: t('plans.name'),
              dataIndex: 'name',
              render: (name: string, plan) => (
                <Link to={`/plans/${plan.id}`} data-testid="plan-link">
                  {name}
                </Link>
              ),
            },
            {
              title: t('plans.status'),
              dataIndex: 'status',
              render: (s: PlanStatus) => (
                <Tag color={STATUS_COLORS[s]} data-testid="plan-status">
                  {t(`plans.statuses.${s}`)}
                </Tag>
              ),
            },
            { title: t('plans.period'), key: 'period', render: (_, plan) => periodLabel(plan) },
            { title: t('plans.scope'), key: 'scope', render: (_, plan) => unitNames.get(plan.scopeOrgUnitId) ?? plan.scopeOrgUnitId },
            { title: t('plans.strategy'), dataIndex: 'strategy', render: (s: string) => t(`plans.strategies.${s}` as 'plans.strategies.EQUAL') },
            {
              title: t('plans.goalVsForecast'),
              key: 'goals',
              render: (_, plan) => (
                <Flex vertical gap={2}>
                  {plan.goals
                    .filter((g) => g.isScope)
                    .map((g) => (
                      <Typography.Text key={g.metricCode} style={{ fontSize: 12 }}>
                        <b>{g.metricCode}</b> {formatAmount(g.value)} / {formatAmount(g.bottomUp)}
                        {g.gap !== null && g.gap !== undefined && (
                          <Typography.Text type={g.gap > 0 ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
                            {' '}
                            ({g.gap > 0 ? '+' : ''}
                            {formatAmount(g.gap)})
                          </Typography.Text>
                        )}
                      </Typography.Text>
                    ))}
                </Flex>
              ),
            },
            { title: t('plans.createdBy'), dataIndex: 'createdBy' },
          ]}
        />
      </QueryState>
    </>
  );
}
