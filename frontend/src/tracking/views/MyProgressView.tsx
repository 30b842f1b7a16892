import { useMemo, useState } from 'react';
import { Button, Card, Col, Row, Space, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { Chart } from '../../charts/Chart';
import { useLiveChanges } from '../../graphql/useLiveChanges';
import { useFormat } from '../../i18n/format';
import { formatProbability, paceTone, probabilityTone } from '../figures';
import { repProgressQuery } from '../queries';
import { StatCard } from '../components/StatCard';
import { WeeklyTrendChart } from '../components/WeeklyTrendChart';
import { FeedbackWidget } from '../../feedback/components/FeedbackWidget';
import { useMe } from '../../auth/MeContext';
import { canRequest } from '../../adjustments/permissions';
import { TargetHistory } from '../../adjustments/components/TargetHistory';
import { RequestAdjustmentModal } from '../../adjustments/views/RequestAdjustmentModal';

/** A rep's own progress on each metric of the active plan, with P(achieve | actuals so far). */
export default function MyProgressView({ repId }: { repId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [{ data, fetching, error }, refetch] = useQuery({ query: repProgressQuery, variables: { repId } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLiveChanges('actuals', reload);
  const metricName = (code: string) => data?.metrics.find((m) => m.code === code)?.name ?? code;
  const rows = data?.repProgress ?? [];
  // A rep asks for a change of their own targets (issue #14) and sees every change made so far.
  const mayRequest = canRequest(useMe()?.actions ?? []);
  const [requesting, setRequesting] = useState<string>();
  const choices = useMemo(
    () => (data?.repProgress ?? []).map((row) => ({ planId: row.planId, metricCode: row.metricCode, metricName: data?.metrics.find((m) => m.code === row.metricCode)?.name ?? row.metricCode, currentTotal: row.progress.target })),
    [data],
  );

  return (
    <div data-testid="page-my-progress">
      <PageHeader title={t('tracking.myProgress')} />
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
        {rows.length === 0 && <Typography.Paragraph data-testid="no-progress">{t('tracking.noProgress')}</Typography.Paragraph>}
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {rows.map((row) => {
            const p = row.progress;
            return (
              <Card
                key={row.metricCode}
                title={t('tracking.subtitle', { plan: row.planName, metric: metricName(row.metricCode), date: fmt.date(row.asOf) })}
                size="small"
                extra={
                  mayRequest && (
                    <Button size="small" data-testid="request-change" onClick={() => setRequesting(row.metricCode)}>
                      {t('adjustments.requestChange')}
                    </Button>
                  )
                }
              >
                <Row gutter={[12, 12]}>
                  <Col xs={12} md={6}>
                    <StatCard testId="attainment" title={t('tracking.attainment')} value={fmt.percent(p.attainment, 1)} hint={t('tracking.attainmentHint', { actual: fmt.amount(p.actual), target: fmt.amount(p.target) })} />
                  </Col>
                  <Col xs={12} md={6}>
                    <StatCard testId="pace" title={t('tracking.pace')} value={fmt.percent(p.pace)} tone={paceTone(p.pace)} hint={t('tracking.paceHint', { expected: fmt.amount(p.expected) })} />
                  </Col>
                  <Col xs={12} md={6}>
                    <StatCard testId="projected" title={t('tracking.projected')} value={fmt.percent(p.projectedAttainment)} tone={paceTone(p.projectedAttainment)} hint={t('tracking.projectedHint', { projected: fmt.amount(p.projected) })} />
                  </Col>
                  <Col xs={12} md={6}>
                    <StatCard testId="probability" title={t('tracking.probability')} value={formatProbability(p.probability, fmt)} tone={probabilityTone(p.probability)} hint={t('tracking.probabilityHint', { plan: formatProbability(p.planProbability, fmt) })} />
                  </Col>
                </Row>
                <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
                  <Col xs={24} xl={12}>
                    <Typography.Text strong>{t('tracking.monthly')}</Typography.Text>
                    <Chart
                      testId="chart-monthly"
                      height={260}
                      option={{
                        tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.amount(v) },
                        legend: { bottom: 0 },
                        grid: { left: 64, right: 16, top: 16, bottom: 48 },
                        xAxis: { type: 'category', data: row.months.map((m) => fmt.month(m.month)) },
                        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.amount(v) } },
                        series: [
                          { name: t('tracking.monthTarget'), type: 'bar', data: row.months.map((m) => m.target), itemStyle: { color: '#c6d4ff' }, barMaxWidth: 24 },
                          { name: t('tracking.monthActual'), type: 'bar', data: row.months.map((m) => m.actual), itemStyle: { color: '#1f5eff' }, barMaxWidth: 24 },
                        ],
                      }}
                    />
                  </Col>
                  <Col xs={24} xl={12}>
                    <Typography.Text strong>{t('tracking.trend')}</Typography.Text>
                    <WeeklyTrendChart weeks={row.weeks} />
                  </Col>
                </Row>
                <div style={{ marginTop: 16 }}>
                  <FeedbackWidget planId={row.planId} repId={repId} metric={row.metricCode} />
                </div>
                <div style={{ marginTop: 16 }}>
                  <TargetHistory planId={row.planId} repId={repId} metric={row.metricCode} />
                </div>
              </Card>
            );
          })}
        </Space>
      </QueryState>
      <RequestAdjustmentModal
        open={!!requesting}
        repId={repId}
        choices={choices}
        metric={requesting}
        onClose={(submitted) => {
          setRequesting(undefined);
          if (submitted) reload();
        }}
      />
    </div>
  );
}
