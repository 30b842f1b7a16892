import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useClient, useMutation, useQuery, useSubscription } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { orgUnitsQuery } from '../../orgTree/queries';
import {
  achievementProbabilityQuery,
  planAuditQuery,
  planChangedSubscription,
  planQuery,
  planRelaxationsQuery,
  planSummariesQuery,
  previewOverrideQuery,
  rankAssessmentQuery,
  targetsGridQuery,
} from '../queries';
import {
  activatePlanMutation,
  approvePlanMutation,
  clonePlanMutation,
  generatePlanMutation,
  overrideTargetMutation,
  returnPlanMutation,
  submitPlanMutation,
} from '../mutations';
import { applyRebalanced, gridRows, teamTotals, type GridRow } from '../gridData';
import { TargetsGrid, type EditState } from '../components/TargetsGrid';
import { ExplanationDrawer } from '../components/ExplanationDrawer';
import { PlanCharts } from '../components/PlanCharts';
import { SummaryTable } from '../components/SummaryTable';
import { ConflictList } from '../components/ConflictList';
import { RelaxationsAlert, RelaxationsPanel } from '../components/RelaxationsPanel';
import { apiLocale } from '../relaxations';
import { PlanComments } from '../components/PlanComments';
import { useTargetFlags } from '../useTargetFlags';
import { WhatIfPanel } from '../components/WhatIfPanel';
import { AdjustmentPolicySelect } from '../../peopleChanges/components/AdjustmentPolicySelect';
import { OverridePreviewModal } from '../components/OverridePreviewModal';
import { overrideDiff, type OverrideDiff } from '../overridePreview';
import { formatAmount, formatProbability, periodLabel, STATUS_COLORS, STRATEGIES } from '../format';
import type { Strategy } from '../../gql/graphql';
import type { Conflict } from '../components/ConflictList';

const LIVE_P_DELAY_MS = 150;

export default function PlanDetailsView() {
  const { planId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [tab, setTab] = useState('targets');
  const navigate = useNavigate();
  const client = useClient();
  const [{ data, fetching, error }, refetchPlan] = useQuery({ query: planQuery, variables: { id: planId } });
  const [{ data: orgData }] = useQuery({ query: orgUnitsQuery });
  const plan = data?.plan;
  const metrics = data?.metrics ?? [];
  const [metricCode, setMetricCode] = useState<string | null>(null);
  // The plan's scope goals name its metrics; a caller who sees only part of the plan (a branch,
  // a team, a rep) sees no scope goal, so the additive metrics stand in.
  const scopeGoals = plan?.goals.filter((g) => g.isScope) ?? [];
  const metricCodes = scopeGoals.length ? scopeGoals.map((g) => g.metricCode) : metrics.filter((m) => m.kind === 'ADDITIVE').map((m) => m.code);
  const metric = metricCode ?? metricCodes[0] ?? metrics[0]?.code ?? '';
  const [{ data: gridData, fetching: gridFetching, error: gridError }, refetchGrid] = useQuery({
    query: targetsGridQuery,
    variables: { planId, metricCode: metric },
    pause: !metric,
    requestPolicy: 'network-only',
  });
  const [{ data: summaryData }, refetchSummaries] = useQuery({
    query: planSummariesQuery,
    variables: { id: planId, metricCode: metric },
    pause: !metric,
    requestPolicy: 'network-only',
  });
  const [{ data: relaxationData }, refetchRelaxations] = useQuery({
    query: planRelaxationsQuery,
    variables: { id: planId, locale: apiLocale(i18n.language) },
    requestPolicy: 'cache-and-network',
  });
  const relaxations = relaxationData?.plan?.relaxations ?? [];
  const [rows, setRows] = useState<GridRow[]>([]);
  const apiFlags = useTargetFlags(planId, metric, gridData);
  useEffect(() => {
    if (gridData?.targetsGrid) setRows(gridRows(gridData.targetsGrid));
  }, [gridData]);
  const teams = useMemo(() => teamTotals(rows), [rows]);
  const unitNames = useMemo(() => new Map((orgData?.orgUnits ?? []).map((u) => [u.id, u.name])), [orgData]);

  const [editing, setEditing] = useState<EditState | null>(null);
  const [lastTeam, setLastTeam] = useState<{ teamId: string; goal: number | null } | null>(null);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [explainRep, setExplainRep] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ diff: OverrideDiff; conflicts: Conflict[] } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [overrideState, overrideTarget] = useMutation(overrideTargetMutation);
  const [, submitPlan] = useMutation(submitPlanMutation);
  const [, approvePlan] = useMutation(approvePlanMutation);
  const [, returnPlan] = useMutation(returnPlanMutation);
  const [, activatePlan] = useMutation(activatePlanMutation);
  const [generateState, generatePlan] = useMutation(generatePlanMutation);
  const [cloneState, clonePlan] = useMutation(clonePlanMutation);
  const [cloneOpen, setCloneOpen] = useState(false);
  const [cloneForm] = Form.useForm<{ name: string; strategy: Strategy }>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const requestSeq = useRef(0);

  // Someone else changed the plan: reload the grid (our own changes are already applied).
  useSubscription({ query: planChangedSubscription, variables: { planId }, pause: !planId }, (_prev, event) => {
    if (event.planChanged.actor !== me?.username) {
      refetchPlan({ requestPolicy: 'network-only' }); // every change raises the plan's version
      refetchGrid({ requestPolicy: 'network-only' });
      refetchSummaries({ requestPolicy: 'network-only' });
      refetchRelaxations({ requestPolicy: 'network-only' });
    }
    return event;
  });

  // Only a draft is edited: a submitted plan is read-only until its approver returns it.
  const editable = !!plan && can(me, 'plan') && plan.status === 'DRAFT';

  const checkProbability = useCallback(
    (repId: string, value: number) => {
      clearTimeout(timer.current);
      const seq = ++requestSeq.current;
      timer.current = setTimeout(async () => {
        const result = await client
          .query(achievementProbabilityQuery, { planId, repId, metricCode: metric, value }, { requestPolicy: 'network-only' })
          .toPromise();
        if (seq !== requestSeq.current) return;
        setEditing((e) => (e && e.repId === repId ? { ...e, probability: result.data?.achievementProbability ?? null, checking: false } : e));
      }, LIVE_P_DELAY_MS);
    },
    [client, planId, metric],
  );
  useEffect(() => () => clearTimeout(timer.current), []);

  function startEdit(row: GridRow) {
    setErrors([]);
    setConflicts([]);
    setEditing({ repId: row.repId, value: row.total, probability: null, checking: true });
    checkProbability(row.repId, row.total);
    setLastTeam({ teamId: row.teamId, goal: lastTeam?.teamId === row.teamId ? lastTeam.goal : null });
  }

  function changeDraft(value: number) {
    if (!editing) return;
    setEditing({ ...editing, value, checking: true });
    checkProbability(editing.repId, value);
  }

  /** Nothing is saved yet: show who would move and by how much, then Apply or Cancel. */
  async function previewEdit() {
    if (!editing) return;
    const row = rows.find((r) => r.repId === editing.repId);
    if (!row) return;
    clearTimeout(timer.current);
    setPreviewing(true);
    const result = await client
      .query(
        previewOverrideQuery,
        { input: { planId, repId: row.repId, metricCode: metric, value: editing.value, expectedVersion: row.version } },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setPreviewing(false);
    const payload = result.data?.previewOverride;
    if (!payload) return;
    setErrors([]);
    setConflicts([]);
    if (payload.errors.length || !payload.result) {
      setConflicts(payload.conflicts);
      setErrors(payload.conflicts.length ? payload.errors.filter((e) => e.code !== 'INVALID') : payload.errors);
      return;
    }
    setPreview({ diff: overrideDiff(rows, payload.result), conflicts: payload.conflicts });
  }

  async function saveEdit() {
    if (!editing) return;
    const row = rows.find((r) => r.repId === editing.repId);
    if (!row) return;
    clearTimeout(timer.current);
    setPreview(null);
    const result = await overrideTarget({
      input: { planId, repId: row.repId, metricCode: metric, value: editing.value, expectedVersion: row.version },
    });
    const payload = result.data?.overrideTarget;
    if (!payload) return;
    setConflicts(payload.conflicts);
    if (payload.errors.length || !payload.result) {
      setErrors(payload.conflicts.length ? payload.errors.filter((e) => e.code !== 'INVALID') : payload.errors);
      return;
    }
    const r = payload.result;
    const self = { repId: r.repId, total: r.periodTotal, probability: r.periodProbability, months: rows.find((x) => x.repId === r.repId)?.months ?? [], version: r.version };
    const changes = r.rebalanced.some((c) => c.repId === r.repId) ? r.rebalanced : [...r.rebalanced, self];
    setRows((prev) => applyRebalanced(prev, changes, r.repId));
    setLastTeam({ teamId: row.teamId, goal: r.nodeGoal ?? null });
    setEditing(null);
    message.success(
      t('plans.overridden', { count: r.rebalanced.filter((c) => c.repId !== r.repId).length, p: formatProbability(r.periodProbability) }),
    );
    refetchPlan({ requestPolicy: 'network-only' }); // an override raises the plan's version
    refetchSummaries({ requestPolicy: 'network-only' });
    refetchRelaxations({ requestPolicy: 'network-only' });
    // The edited rep's months come back with the grid.
    refetchGrid({ requestPolicy: 'network-only' });
  }

  async function transition(kind: 'submit' | 'approve' | 'return' | 'activate') {
    if (!plan) return;
    setErrors([]);
    const input = { planId, expectedVersion: plan.version, reason: '' };
    const result =
      kind === 'submit'
        ? (await submitPlan({ input })).data?.submitPlan
        : kind === 'approve'
          ? (await approvePlan({ input })).data?.approvePlan
          : kind === 'return'
            ? (await returnPlan({ input })).data?.returnPlan
            : (await activatePlan({ input })).data?.activatePlan;
    if (!result) return;
    if (result.errors.length) {
      setErrors(result.errors);
      return;
    }
    message.success(t(`plans.transitioned.${kind}`));
    refetchPlan({ requestPolicy: 'network-only' });
  }

  async function regenerate() {
    if (!plan) return;
    setErrors([]);
    const result = await generatePlan({ planId, expectedVersion: plan.version });
    const payload = result.data?.generatePlan;
    if (!payload) return;
    setConflicts(payload.conflicts);
    if (payload.errors.length) setErrors(payload.conflicts.length ? payload.errors.filter((e) => e.code !== 'INVALID') : payload.errors);
    else message.success(t('plans.generated', { count: payload.targets ?? 0 }));
    refetchPlan({ requestPolicy: 'network-only' });
    refetchGrid({ requestPolicy: 'network-only' });
    refetchSummaries({ requestPolicy: 'network-only' });
    refetchRelaxations({ requestPolicy: 'network-only' });
  }

  async function onClone(values: { name: string; strategy: Strategy }) {
    const result = await clonePlan({ input: { planId, name: values.name, strategy: values.strategy } });
    const payload = result.data?.clonePlan;
    if (!payload) return;
    if (payload.errors.length || !payload.plan) {
      setErrors(payload.errors);
      setCloneOpen(false);
      return;
    }
    setCloneOpen(false);
    navigate(`/plans/compare?a=${planId}&b=${payload.plan.id}`);
  }

  const editingTeam = editing ? rows.find((r) => r.repId === editing.repId)?.teamId : lastTeam?.teamId;
  const editingRow = editing ? rows.find((r) => r.repId === editing.repId) : undefined;
  const teamTotal = editingTeam ? (teams.get(editingTeam) ?? 0) - (editingRow?.total ?? 0) + (editing?.value ?? editingRow?.total ?? 0) : null;

  return (
    <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetchPlan({ requestPolicy: 'network-only' })}>
      {!plan ? (
        <Empty description={t('common.notFound')} />
      ) : (
        <>
          <PageHeader
            title={
              <Space>
                {plan.name}
                <Tag color={STATUS_COLORS[plan.status]} data-testid="plan-status">
                  {t(`plans.statuses.${plan.status}`)}
                </Tag>
              </Space>
            }
            documentTitle={plan.name}
            testId="plan-title"
            extra={
              <Space wrap>
                {editable && plan.status === 'DRAFT' && (
                  <Button onClick={regenerate} loading={generateState.fetching} data-testid="plan-regenerate">
                    {t('plans.generate')}
                  </Button>
                )}
                {can(me, 'plan') && plan.status === 'DRAFT' && (
                  <Button type="primary" onClick={() => transition('submit')} data-testid="plan-submit">
                    {t('plans.submit')}
                  </Button>
                )}
                {can(me, 'approve_plan') && plan.status === 'SUBMITTED' && (
                  <>
                    <Button onClick={() => transition('return')} data-testid="plan-return">
                      {t('plans.return')}
                    </Button>
                    <Button type="primary" onClick={() => transition('approve')} data-testid="plan-approve">
                      {t('plans.approve')}
                    </Button>
                  </>
                )}
                {can(me, 'approve_plan') && plan.status === 'APPROVED' && (
                  <Button onClick={() => transition('activate')} data-testid="plan-activate">
                    {t('plans.activate')}
                  </Button>
                )}
                {can(me, 'plan') && (
                  <Button
                    onClick={() => {
                      cloneForm.setFieldsValue({ name: `${plan.name} (${t('plans.scenario')})`, strategy: plan.strategy });
                      setCloneOpen(true);
                    }}
                    data-testid="plan-clone"
                  >
                    {t('plans.clone')}
                  </Button>
                )}
                {(plan.status === 'ACTIVE' || plan.status === 'CLOSED') && (
                  <Button onClick={() => navigate(`/plans/${planId}/feedback`)} data-testid="plan-feedback">
                    {t('feedback.summary.link')}
                  </Button>
                )}
                <Button onClick={() => navigate(`/plans/compare?a=${planId}`)} data-testid="plan-compare">
                  {t('plans.compare')}
                </Button>
              </Space>
            }
          />
          <PayloadErrorAlert errors={errors} onReload={() => refetchGrid({ requestPolicy: 'network-only' })} />
          <ConflictList conflicts={conflicts} />
          <RelaxationsAlert relaxations={relaxations} onShow={() => setTab('relaxations')} />
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }} data-testid="plan-details">
            <Descriptions.Item label={t('plans.period')}>{periodLabel(plan)}</Descriptions.Item>
            <Descriptions.Item label={t('plans.scope')}>{unitNames.get(plan.scopeOrgUnitId) ?? plan.scopeOrgUnitId}</Descriptions.Item>
            <Descriptions.Item label={t('plans.strategy')}>{t(`plans.strategies.${plan.strategy}`)}</Descriptions.Item>
            <Descriptions.Item label={t('plans.createdBy')}>{plan.createdBy}</Descriptions.Item>
            <Descriptions.Item label={t('plans.submittedBy')}>{plan.submittedBy ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('plans.approvedBy')}>{plan.approvedBy ?? '—'}</Descriptions.Item>
            {can(me, 'plan') && plan.status !== 'SUBMITTED' && plan.status !== 'CLOSED' && (
              <Descriptions.Item label={t('peopleChanges.policy')}>
                <AdjustmentPolicySelect planId={planId} onSaved={() => refetchPlan({ requestPolicy: 'network-only' })} />
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space style={{ marginBottom: 12 }} wrap>
            <Segmented
              data-testid="plan-metric"
              value={metric}
              options={metricCodes.map((code) => ({ value: code, label: metrics.find((m) => m.code === code)?.name ?? code }))}
              onChange={(value) => {
                setEditing(null);
                setMetricCode(String(value));
              }}
            />
            {plan.goals
              .filter((g) => g.isScope && g.metricCode === metric)
              .map((g) => (
                <Space key={g.metricCode} size={24}>
                  <Statistic title={t('plans.goal')} value={formatAmount(g.value)} />
                  <Statistic title={t('plans.bottomUp')} value={formatAmount(g.bottomUp)} data-testid="plan-bottom-up" />
                  <Statistic title={t('plans.gap')} value={formatAmount(g.gap)} data-testid="plan-gap" />
                  <Statistic title={t('plans.sumOfTargets')} value={formatAmount(rows.reduce((s, r) => s + r.total, 0))} data-testid="plan-sum" />
                </Space>
              ))}
            {teamTotal !== null && editingTeam && (
              <Card size="small" data-testid="team-total-card">
                <Statistic
                  title={t('plans.teamTotal', { team: unitNames.get(editingTeam) ?? editingTeam })}
                  value={formatAmount(teamTotal)}
                  suffix={lastTeam?.goal ? ` / ${formatAmount(lastTeam.goal)}` : undefined}
                  valueRender={(node) => <span data-testid="team-total">{node}</span>}
                />
              </Card>
            )}
          </Space>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'targets',
                label: t('plans.targets'),
                children: (
                  <QueryState fetching={gridFetching} error={gridError} hasData={!!gridData}>
                    <TargetsGrid
                      rows={rows}
                      months={gridData?.targetsGrid.months ?? plan.months}
                      editable={editable}
                      editing={editing}
                      saving={overrideState.fetching || previewing}
                      teamNames={unitNames}
                      apiFlags={apiFlags}
                      onStartEdit={startEdit}
                      onChangeDraft={changeDraft}
                      onSave={previewEdit}
                      onCancel={() => setEditing(null)}
                      onExplain={(row) => setExplainRep(row.repId)}
                    />
                    <div style={{ marginTop: 16 }}>
                      <PlanCharts rows={rows} />
                    </div>
                  </QueryState>
                ),
              },
              {
                key: 'summaries',
                label: t('plans.summaries'),
                children: (
                  <Space direction="vertical" style={{ width: '100%' }} size={16}>
                    <Card size="small" title={t('plans.byRank')}>
                      <SummaryTable rows={summaryData?.plan?.rankSummaries ?? []} testId="rank-summaries" />
                    </Card>
                    <Card size="small" title={t('plans.byNode')}>
                      <SummaryTable rows={summaryData?.plan?.nodeSummaries ?? []} testId="node-summaries" />
                    </Card>
                  </Space>
                ),
              },
              {
                key: 'whatIf',
                label: t('plans.whatIf'),
                children: (
                  <WhatIfPanel
                    plan={plan}
                    canSave={can(me, 'plan')}
                    onSave={async (strategy, goals) => {
                      const result = await clonePlan({ input: { planId, name: `${plan.name} (${t('plans.scenario')})`, strategy, goals } });
                      const payload = result.data?.clonePlan;
                      if (payload?.plan) navigate(`/plans/compare?a=${planId}&b=${payload.plan.id}`);
                      else if (payload) setErrors(payload.errors);
                    }}
                  />
                ),
              },
              {
                key: 'relaxations',
                label: <span data-testid="relaxations-tab">{t('plans.relaxations.tab', { count: relaxations.length })}</span>,
                children: <RelaxationsPanel relaxations={relaxations} />,
              },
              { key: 'assessment', label: t('plans.assessment'), children: <RankAssessment planId={planId} /> },
              { key: 'audit', label: t('plans.audit'), children: <AuditTrail planId={planId} /> },
              {
                key: 'comments',
                label: t('plans.comments', { count: plan.comments.length }),
                children: <PlanComments planId={planId} comments={plan.comments} canComment={can(me, 'plan') || can(me, 'approve_plan')} onAdded={() => refetchPlan({ requestPolicy: 'network-only' })} />,
              },
            ]}
          />
          <ExplanationDrawer planId={planId} metricCode={metric} repId={explainRep} onClose={() => setExplainRep(null)} feedback={plan.status === 'ACTIVE' || plan.status === 'CLOSED'} />
          <OverridePreviewModal
            open={!!preview}
            diff={preview?.diff ?? null}
            conflicts={preview?.conflicts ?? []}
            teamName={editingTeam ? (unitNames.get(editingTeam) ?? editingTeam) : ''}
            applying={overrideState.fetching}
            onApply={saveEdit}
            onCancel={() => setPreview(null)}
          />
          <Modal
            open={cloneOpen}
            title={t('plans.clone')}
            onCancel={() => setCloneOpen(false)}
            onOk={() => cloneForm.submit()}
            okButtonProps={{ loading: cloneState.fetching }}
            data-testid="clone-modal"
          >
            <Form form={cloneForm} layout="vertical" onFinish={onClone}>
              <Form.Item name="name" label={t('plans.name')} rules={[{ required: true, message: t('plans.required') }]}>
                <Input data-testid="clone-name" />
              </Form.Item>
              <Form.Item name="strategy" label={t('plans.strategy')}>
                <Select options={STRATEGIES.map((s) => ({ value: s, label: t(`plans.strategies.${s}`) }))} />
              </Form.Item>
            </Form>
          </Modal>
        </>
      )}
    </QueryState>
  );
}

function RankAssessment({ planId }: { planId: string }) {
  const { t } = useTranslation();
  const [{ data, fetching, error }] = useQuery({ query: rankAssessmentQuery, variables: { planId } });
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      <Table
        data-testid="rank-assessment"
        size="small"
        rowKey="rankCode"
        pagination={false}
        dataSource={data?.rankAssessment ?? []}
        columns={[
          { title: t('plans.rank'), dataIndex: 'rankCode' },
          { title: t('plans.reps'), dataIndex: 'reps', align: 'right' },
          { title: t('plans.promotions'), dataIndex: 'promotions', align: 'right', render: (v: number) => v.toFixed(1) },
          { title: t('plans.retentions'), dataIndex: 'retentions', align: 'right', render: (v: number) => v.toFixed(1) },
          { title: t('plans.demotions'), dataIndex: 'demotions', align: 'right', render: (v: number) => v.toFixed(1) },
          { title: t('plans.meanAttainment'), dataIndex: 'meanAttainment', align: 'right', render: (v: number) => `${(v * 100).toFixed(0)}%` },
        ]}
      />
    </QueryState>
  );
}

function AuditTrail({ planId }: { planId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: planAuditQuery, variables: { id: planId }, requestPolicy: 'network-only' });
  const entries = data?.plan?.auditTrail ?? [];
  return (
    <QueryState fetching={fetching} error={error} hasData={!!data}>
      {entries.length === 0 ? (
        <Empty />
      ) : (
        <Timeline
          data-testid="plan-audit"
          items={entries.map((e) => ({
            children: (
              <div>
                <Typography.Text strong>{e.action}</Typography.Text> · {e.actor} · {new Date(e.at).toLocaleString()}
                {e.reason && <div>{e.reason}</div>}
                {(e.before !== null || e.after !== null) && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: JSON.stringify(e.after) }}>
                    {JSON.stringify(e.before)} → {JSON.stringify(e.after)}
                  </Typography.Text>
                )}
              </div>
            ),
          }))}
        />
      )}
    </QueryState>
  );
}
