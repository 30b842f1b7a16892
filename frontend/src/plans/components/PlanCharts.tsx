import { useMemo } from 'react';
import { Card, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Chart } from '../../charts/Chart';
import { probabilityHistogram, type GridRow } from '../gridData';

/** P(achieve) histogram and targets against the suggestions from the forecasts. */
export function PlanCharts({ rows }: { rows: GridRow[] }) {
  const { t } = useTranslation();
  const histogram = useMemo(() => probabilityHistogram(rows), [rows]);
  const sorted = useMemo(() => [...rows].sort((a, b) => a.suggestedTotal - b.suggestedTotal), [rows]);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('plans.pHistogram')}>
          <Chart
            testId="chart-p-histogram"
            height={260}
            option={{
              tooltip: { trigger: 'axis' },
              grid: { left: 40, right: 16, top: 16, bottom: 30 },
              xAxis: { type: 'category', data: histogram.map((_, i) => `${i * 10}–${i * 10 + 10}%`) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [{ type: 'bar', name: t('plans.reps'), data: histogram, itemStyle: { color: '#4e7bd9' } }],
            }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('plans.targetsVsForecast')}>
          <Chart
            testId="chart-targets-forecast"
            height={260}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 60, right: 16, top: 30, bottom: 30 },
              xAxis: { type: 'category', data: sorted.map((r) => r.repName), axisLabel: { show: false } },
              yAxis: { type: 'value' },
              dataZoom: sorted.length > 200 ? [{ type: 'inside' }] : undefined,
              series: [
                { type: 'line', name: t('plans.suggested'), data: sorted.map((r) => r.suggestedTotal), showSymbol: false },
                { type: 'line', name: t('plans.target'), data: sorted.map((r) => r.total), showSymbol: false },
              ],
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}
