import { useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useClient } from 'urql';
import { useTranslation } from 'react-i18next';
import { whatIfQuery } from '../queries';
import type { PlanFieldsFragment, Strategy, WhatIfQuery } from '../../gql/graphql';
import { ConflictList } from './ConflictList';
import { RelaxationsPanel } from './RelaxationsPanel';
import { apiLocale } from '../relaxations';
import { MetricComparisonCard } from './MetricComparisonCard';
import { STRATEGIES } from '../format';


interface Values {
  strategy: Strategy;
  goals: Record<string, number>;
}

/** Another goal or strategy computed from the stored forecasts, nothing saved; then save it as a scenario. */
export function WhatIfPanel({ plan, canSave, onSave }: { plan: PlanFieldsFragment; canSave: boolean; onSave: (strategy: Strategy, goals: { metricCode: string; value: number }[]) => void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [form] = Form.useForm<Values>();
  const [result, setResult] = useState<WhatIfQuery['whatIf'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const scopeGoals = plan.goals.filter((g) => g.isScope);

  function goalsOf(values: Values) {
    return scopeGoals.map((g) => ({ metricCode: g.metricCode, value: Number(values.goals?.[g.metricCode] ?? g.value) }));
  }

  async function run(values: Values) {
    setRunning(true);
    setError(null);
    try {
      const response = await client
        .query(whatIfQuery, { input: { planId: plan.id, strategy: values.strategy, goals: goalsOf(values) }, locale: apiLocale(i18n.language) }, { requestPolicy: 'network-only' })
        .toPromise();
      if (response.error) setError(response.error.graphQLErrors.map((e) => e.message).join('; ') || response.error.message);
      setResult(response.data?.whatIf ?? null);
    } finally {
      setRunning(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Typography.Text type="secondary">{t('plans.whatIfHelp')}</Typography.Text>
      <Form<Values>
        form={form}
        layout="inline"
        data-testid="what-if-form"
        initialValues={{ strategy: plan.strategy, goals: Object.fromEntries(scopeGoals.map((g) => [g.metricCode, g.value])) }}
        onFinish={run}
      >
        <Form.Item name="strategy" label={t('plans.strategy')}>
          <Select style={{ width: 180 }} options={STRATEGIES.map((s) => ({ value: s, label: t(`plans.strategies.${s}`) }))} />
        </Form.Item>
        {scopeGoals.map((g) => (
          <Form.Item key={g.metricCode} name={['goals', g.metricCode]} label={`${t('plans.goal')} · ${g.metricCode}`}>
            <InputNumber min={0} style={{ width: 160 }} data-testid={`what-if-goal-${g.metricCode}`} />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={running} data-testid="what-if-run">
          {t('plans.whatIfRun')}
        </Button>
        {canSave && result && (
          <Button
            style={{ marginLeft: 8 }}
            data-testid="what-if-save"
            onClick={() => {
              const values = form.getFieldsValue();
              onSave(values.strategy, goalsOf(values));
            }}
          >
            {t('plans.clone')}
          </Button>
        )}
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
      {result && (
        <div data-testid="what-if-result">
          {result.seconds !== null && result.seconds !== undefined && (
            <Typography.Text type="secondary">{t('plans.computedIn', { ms: Math.round(result.seconds * 1000) })}</Typography.Text>
          )}
          <ConflictList conflicts={result.conflicts} />
          {result.relaxations.length > 0 && (
            <Card size="small" title={t('plans.relaxations.tab', { count: result.relaxations.length })} style={{ margin: '12px 0' }} data-testid="what-if-relaxations">
              <RelaxationsPanel relaxations={result.relaxations} />
            </Card>
          )}
          <Space direction="vertical" style={{ width: '100%' }} size={12}>
            {result.metrics.map((m) => (
              <MetricComparisonCard key={m.metricCode} m={m} />
            ))}
          </Space>
        </div>
      )}
    </Space>
  );
}
