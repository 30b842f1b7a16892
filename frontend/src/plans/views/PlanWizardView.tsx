import { useEffect, useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Collapse,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Select,
  Space,
  Spin,
  Steps,
  Switch,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import { TreeSelect } from 'antd';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { orgUnitsQuery } from '../../orgTree/queries';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { createPlanMutation, generatePlanMutation, updatePlanMutation } from '../mutations';
import { generationProgressSubscription } from '../queries';
import type { Monotonicity, PeriodKind, PlanFieldsFragment, Strategy } from '../../gql/graphql';
import { ConflictList, type Conflict } from '../components/ConflictList';
import { SuggestedProbability } from '../components/SuggestedProbability';
import { formatAmount, STRATEGIES } from '../format';


interface BasicsForm {
  name: string;
  scopeOrgUnitId: string;
  periodKind: PeriodKind;
  year: number;
  quarter?: number;
  growthRate: number;
  strategy: Strategy;
  pMin: number;
  pMax: number;
  maxRise: number | null;
  phasingTolerance: number;
  monotonicity: Monotonicity;
  rankBounds: boolean;
  rankStep: number;
  strict: boolean;
}

const BASIC_FIELDS = ['name', 'scopeOrgUnitId', 'periodKind', 'year', 'quarter', 'growthRate', 'strategy', 'constraints', 'pMin', 'pMax', 'maxRise', 'phasingTolerance', 'monotonicity', 'rankBounds', 'rankStep', 'strict'];

function GenerationProgressBar({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const [{ data }] = useSubscription({ query: generationProgressSubscription, variables: { planId } });
  const progress = data?.generationProgress;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="generation-progress">
      <Spin />
      <Typography.Text type="secondary">{progress ? progress.stage : t('plans.generating')}</Typography.Text>
      <Progress percent={Math.round((progress?.fraction ?? 0) * 100)} status="active" />
    </Space>
  );
}

export default function PlanWizardView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<BasicsForm>();
  const [{ data: orgData }] = useQuery({ query: orgUnitsQuery });
  const treeData = useMemo(() => toAntTree(buildOrgTree(orgData?.orgUnits ?? [])), [orgData]);
  const [createState, createPlan] = useMutation(createPlanMutation);
  const [updateState, updatePlan] = useMutation(updatePlanMutation);
  const [generateState, generatePlan] = useMutation(generatePlanMutation);
  const [plan, setPlan] = useState<PlanFieldsFragment | null>(null);
  const [goals, setGoals] = useState<Record<string, number>>({});
  const [formErrors, setFormErrors] = useState<UserErrorLike[]>([]);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const periodKind = Form.useWatch('periodKind', form);
  const year = new Date().getFullYear();
  useEffect(() => {
    if (treeData.length && !form.getFieldValue('scopeOrgUnitId')) form.setFieldValue('scopeOrgUnitId', treeData[0].value);
  }, [treeData, form]);

  async function onCreate(values: BasicsForm) {
    setFormErrors([]);
    const result = await createPlan({
      input: {
        name: values.name,
        scopeOrgUnitId: values.scopeOrgUnitId,
        periodKind: values.periodKind,
        year: values.year,
        quarter: values.periodKind === 'QUARTER' ? values.quarter : null,
        growthRate: values.growthRate,
        strategy: values.strategy,
        constraints: {
          pMin: values.pMin,
          pMax: values.pMax,
          maxRise: values.maxRise,
          phasingTolerance: values.phasingTolerance,
          monotonicity: values.monotonicity,
          rankBounds: values.rankBounds,
          rankStep: values.rankStep,
          strict: values.strict,
        },
      },
    });
    const payload = result.data?.createPlan;
    if (!payload) return;
    if (payload.errors.length || !payload.plan) {
      const flat = payload.errors.map((e) => ({ ...e, field: e.field?.replace(/^constraints\./, '') }));
      setFormErrors(applyPayloadErrors(form, flat, BASIC_FIELDS));
      return;
    }
    setPlan(payload.plan);
    setGoals(Object.fromEntries(payload.plan.goals.filter((g) => g.isScope).map((g) => [g.metricCode, g.value])));
  }

  async function onGenerate() {
    if (!plan) return;
    setFormErrors([]);
    setConflicts([]);
    let current = plan;
    const scopeGoals = plan.goals.filter((g) => g.isScope);
    if (scopeGoals.some((g) => goals[g.metricCode] !== g.value)) {
      const result = await updatePlan({
        input: {
          planId: plan.id,
          expectedVersion: plan.version,
          goals: scopeGoals.map((g) => ({ metricCode: g.metricCode, value: goals[g.metricCode] ?? g.value, orgUnitId: g.orgUnitId })),
        },
      });
      const payload = result.data?.updatePlan;
      if (!payload) return;
      if (payload.errors.length || !payload.plan) {
        setFormErrors(payload.errors);
        return;
      }
      current = payload.plan;
      setPlan(current);
    }
    const result = await generatePlan({ planId: current.id, expectedVersion: current.version });
    const payload = result.data?.generatePlan;
    if (!payload) return;
    setConflicts(payload.conflicts);
    if (payload.errors.length || !payload.plan) {
      // Infeasible constraints are listed one by one below; other errors go in the alert.
      setFormErrors(payload.conflicts.length ? payload.errors.filter((e) => e.code !== 'INVALID') : payload.errors);
      if (payload.plan) setPlan(payload.plan);
      return;
    }
    if (payload.conflicts.length) {
      setPlan(payload.plan);
      return;
    }
    message.success(t('plans.generated', { count: payload.targets ?? 0 }));
    navigate(`/plans/${current.id}`);
  }

  const step = plan ? 1 : 0;
  return (
    <>
      <PageHeader title={t('plans.wizard')} testId="plan-wizard-title" />
      <Steps current={step} style={{ marginBottom: 24 }} items={[{ title: t('plans.stepBasics') }, { title: t('plans.stepGoals') }]} />
      <PayloadErrorAlert errors={formErrors} />
      {!plan && (
        <Card>
          <Form<BasicsForm>
            form={form}
            layout="vertical"
            style={{ maxWidth: 720 }}
            data-testid="plan-wizard-form"
            initialValues={{
              name: `${t('plans.title')} ${year + 1}`,
              periodKind: 'YEAR',
              year: year + 1,
              quarter: 1,
              growthRate: 0.1,
              strategy: 'EQUAL_DIFFICULTY',
              pMin: 0.05,
              pMax: 0.98,
              maxRise: 0.6,
              phasingTolerance: 0,
              monotonicity: 'NONE',
              rankBounds: true,
              rankStep: 0,
              strict: false,
              scopeOrgUnitId: treeData[0]?.value,
            }}
            onFinish={onCreate}
          >
            <Form.Item name="name" label={t('plans.name')} rules={[{ required: true, message: t('plans.required') }]}>
              <Input data-testid="plan-name" />
            </Form.Item>
            <Form.Item name="scopeOrgUnitId" label={t('plans.scope')} rules={[{ required: true, message: t('plans.required') }]}>
              <TreeSelect
                data-testid="plan-scope"
                treeData={treeData}
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="label"
                treeDefaultExpandedKeys={treeData.map((n) => n.key)}
              />
            </Form.Item>
            <Space size={16} wrap>
              <Form.Item name="periodKind" label={t('plans.periodKind')}>
                <Radio.Group
                  data-testid="plan-period-kind"
                  options={[
                    { value: 'YEAR', label: t('plans.year') },
                    { value: 'QUARTER', label: t('plans.quarter') },
                  ]}
                  optionType="button"
                />
              </Form.Item>
              <Form.Item name="year" label={t('plans.year')} rules={[{ required: true, message: t('plans.required') }]}>
                <InputNumber data-testid="plan-year" min={2000} max={2100} />
              </Form.Item>
              {periodKind === 'QUARTER' && (
                <Form.Item name="quarter" label={t('plans.quarter')}>
                  <Select style={{ width: 90 }} options={[1, 2, 3, 4].map((q) => ({ value: q, label: `Q${q}` }))} />
                </Form.Item>
              )}
              <Form.Item name="growthRate" label={t('plans.growthRate')}>
                <InputNumber data-testid="plan-growth" step={0.01} min={-0.9} max={5} />
              </Form.Item>
            </Space>
            <Form.Item name="strategy" label={t('plans.strategy')} extra={t('plans.strategyHelp')}>
              <Select data-testid="plan-strategy" options={STRATEGIES.map((s) => ({ value: s, label: t(`plans.strategies.${s}`) }))} />
            </Form.Item>
            <Collapse
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: 'constraints',
                  label: t('plans.constraints'),
                  forceRender: true,
                  children: (
                    <Space size={16} wrap>
                      <Form.Item name="pMin" label={t('plans.pMin')}>
                        <InputNumber min={0} max={1} step={0.01} />
                      </Form.Item>
                      <Form.Item name="pMax" label={t('plans.pMax')}>
                        <InputNumber min={0} max={1} step={0.01} />
                      </Form.Item>
                      <Form.Item name="maxRise" label={t('plans.maxRise')}>
                        <InputNumber min={0} step={0.05} />
                      </Form.Item>
                      <Form.Item name="phasingTolerance" label={t('plans.phasingTolerance')}>
                        <InputNumber min={0} max={1} step={0.05} />
                      </Form.Item>
                      <Form.Item name="monotonicity" label={t('plans.monotonicity')}>
                        <Select
                          style={{ width: 140 }}
                          options={(['NONE', 'TEAM', 'OVERALL'] as const).map((m) => ({ value: m, label: t(`plans.monotonicities.${m}`) }))}
                        />
                      </Form.Item>
                      <Form.Item name="rankBounds" label={t('plans.rankBounds')} valuePropName="checked">
                        <Switch />
                      </Form.Item>
                      <Form.Item name="rankStep" label={t('plans.rankStep')}>
                        <InputNumber min={0} step={0.05} />
                      </Form.Item>
                      <Form.Item name="strict" label={t('plans.strict')} valuePropName="checked" extra={t('plans.strictHelp')} style={{ maxWidth: 460 }}>
                        <Switch data-testid="plan-strict" />
                      </Form.Item>
                    </Space>
                  ),
                },
              ]}
            />
            <Button type="primary" htmlType="submit" loading={createState.fetching} data-testid="plan-create">
              {t('plans.createDraft')}
            </Button>
          </Form>
        </Card>
      )}
      {plan && (
        <Card title={plan.name} data-testid="plan-goals-step">
          <Typography.Paragraph type="secondary">{t('plans.goalsHelp')}</Typography.Paragraph>
          <Table
            data-testid="plan-goals-table"
            rowKey="metricCode"
            size="small"
            pagination={false}
            dataSource={plan.goals.filter((g) => g.isScope)}
            columns={[
              { title: t('plans.metric'), dataIndex: 'metricCode' },
              { title: t('plans.lastYear'), dataIndex: 'lastYearActual', align: 'right', render: formatAmount },
              { title: t('plans.suggested'), dataIndex: 'suggested', align: 'right', render: formatAmount },
              {
                title: t('plans.suggestedProbability'),
                dataIndex: 'suggestedProbability',
                align: 'right',
                render: (p: number | null | undefined, g) => <SuggestedProbability metricCode={g.metricCode} probability={p} />,
              },
              {
                title: t('plans.bottomUp'),
                dataIndex: 'bottomUp',
                align: 'right',
                render: (v: number | null | undefined) => (
                  <Tooltip title={v === null || v === undefined ? t('plans.bottomUpPending') : undefined}>
                    <span data-testid="plan-bottom-up">{formatAmount(v)}</span>
                  </Tooltip>
                ),
              },
              {
                title: t('plans.goal'),
                key: 'goal',
                render: (_, g) => (
                  <InputNumber
                    data-testid={`plan-goal-${g.metricCode}`}
                    value={goals[g.metricCode]}
                    min={0}
                    style={{ width: 160 }}
                    onChange={(value) => setGoals((prev) => ({ ...prev, [g.metricCode]: Number(value ?? 0) }))}
                  />
                ),
              },
              {
                title: t('plans.gap'),
                key: 'gap',
                align: 'right',
                render: (_, g) => {
                  const goal = goals[g.metricCode] ?? g.value;
                  const gap = g.bottomUp === null || g.bottomUp === undefined ? null : goal - g.bottomUp;
                  return (
                    <Typography.Text type={gap !== null && gap > 0 ? 'warning' : undefined} data-testid={`plan-gap-${g.metricCode}`}>
                      {formatAmount(gap)}
                    </Typography.Text>
                  );
                },
              },
            ]}
          />
          <ConflictList conflicts={conflicts} />
          <div style={{ marginTop: 16 }}>
            {generateState.fetching || updateState.fetching ? (
              <GenerationProgressBar planId={plan.id} />
            ) : (
              <Space>
                <Button type="primary" data-testid="plan-generate" onClick={onGenerate}>
                  {t('plans.generate')}
                </Button>
                <Button onClick={() => navigate(`/plans/${plan.id}`)}>{t('plans.openDraft')}</Button>
              </Space>
            )}
          </div>
        </Card>
      )}
    </>
  );
}
