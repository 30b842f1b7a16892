import { useState } from 'react';
import { Button, Card, Empty, Flex, Segmented, Space, Statistic, Table, Tag } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { Chart } from '../../charts/Chart';
import { useFormat } from '../../i18n/format';
import type { FeedbackGrouping, FeedbackSummaryQuery } from '../../gql/graphql';
import { feedbackPlanQuery, feedbackSummaryQuery } from '../queries';
import { GROUPINGS, RATING_COLORS, ratingSeries, summaryTotals } from '../feedback';

type Group = FeedbackSummaryQuery['feedbackSummary'][number];

/** How the plan's targets are received, by rank, region or manager: a stacked bar and a table. */
export default function FeedbackSummaryView() {
  const { planId = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [by, setBy] = useState<FeedbackGrouping>('RANK');
  const [metricCode, setMetricCode] = useState<string | null>(null);
  const [{ data: planData }] = useQuery({ query: feedbackPlanQuery, variables: { id: planId } });
  const plan = planData?.plan;
  const scopeMetrics = plan?.goals.filter((g) => g.isScope).map((g) => g.metricCode) ?? [];
  const metricCodes = scopeMetrics.length ? scopeMetrics : (planData?.metrics ?? []).filter((m) => m.kind === 'ADDITIVE').map((m) => m.code);
  const metric = metricCode ?? metricCodes[0] ?? 'revenue';
  const [{ data, fetching, error }, refetch] = useQuery({
    query: feedbackSummaryQuery,
    variables: { planId, by, metric },
    requestPolicy: 'cache-and-network',
  });
  const groups = data?.feedbackSummary ?? [];
  const totals = summaryTotals(groups);

  return (
    <div data-testid="page-feedback-summary">
      <PageHeader
        title={t('feedback.summary.title', { plan: plan?.name ?? '' })}
        documentTitle={t('feedback.summary.title', { plan: plan?.name ?? '' })}
        extra={<Button onClick={() => navigate(`/plans/${planId}`)}>{t('feedback.summary.back')}</Button>}
      />
      <Flex wrap gap={12} style={{ marginBottom: 12 }}>
        <Segmented<FeedbackGrouping>
          data-testid="feedback-grouping"
          value={by}
          onChange={setBy}
          options={GROUPINGS.map((g) => ({ value: g, label: t(`feedback.summary.groupings.${g}`) }))}
        />
        {metricCodes.length > 1 && (
          <Segmented
            data-testid="feedback-metric"
            value={metric}
            onChange={(v) => setMetricCode(String(v))}
            options={metricCodes.map((code) => ({ value: code, label: planData?.metrics.find((m) => m.code === code)?.name ?? code }))}
          />
        )}
      </Flex>
      <QueryState fetching={fetching && !data} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Space wrap size={24} style={{ marginBottom: 12 }}>
          <Statistic title={t('feedback.summary.total')} value={fmt.number(totals.count)} valueRender={(n) => <span data-testid="feedback-total">{n}</span>} />
          <Statistic title={t('feedback.summary.shareTooHigh')} value={fmt.percent(totals.shareTooHigh)} />
          <Statistic title={t('feedback.summary.respondedShare')} value={fmt.percent(totals.respondedShare)} />
        </Space>
        {groups.length === 0 ? (
          <Empty description={t('feedback.summary.empty')} />
        ) : (
          <Flex vertical gap={16}>
            <Card size="small">
              <Chart
                testId="feedback-chart"
                height={Math.max(200, 40 + groups.length * 32)}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                  legend: { bottom: 0 },
                  grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
                  xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => fmt.number(v) } },
                  yAxis: { type: 'category', inverse: true, data: groups.map((g) => g.label), axisLabel: { width: 120, overflow: 'truncate' } },
                  series: ratingSeries(groups).map((s) => ({
                    name: t(`feedback.ratings.${s.rating}`),
                    type: 'bar',
                    stack: 'ratings',
                    data: s.data,
                    itemStyle: { color: RATING_COLORS[s.rating] },
                    barMaxWidth: 20,
                  })),
                }}
              />
            </Card>
            <SummaryTable groups={groups} />
          </Flex>
        )}
      </QueryState>
    </div>
  );
}

function SummaryTable({ groups }: { groups: readonly Group[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<Group>
      data-testid="feedback-summary-table"
      size="small"
      rowKey="key"
      pagination={false}
      scroll={{ x: 640 }}
      dataSource={[...groups]}
      columns={[
        { title: t('feedback.summary.group'), dataIndex: 'label' },
        { title: t('feedback.summary.count'), dataIndex: 'count', align: 'right', render: (v: number) => <span data-testid="feedback-group-count">{fmt.number(v)}</span> },
        { title: t('feedback.summary.shareTooHigh'), dataIndex: 'shareTooHigh', align: 'right', render: (v: number) => fmt.percent(v) },
        { title: t('feedback.summary.respondedShare'), dataIndex: 'respondedShare', align: 'right', render: (v: number) => fmt.percent(v) },
        {
          title: t('feedback.summary.topTags'),
          dataIndex: 'topTags',
          render: (tags: Group['topTags']) => (
            <Flex wrap gap={2}>
              {tags.map((tc) => (
                <Tag key={tc.tag}>
                  {t(`feedback.tags.${tc.tag}`)} · {fmt.number(tc.count)}
                </Tag>
              ))}
            </Flex>
          ),
        },
      ]}
    />
  );
}
