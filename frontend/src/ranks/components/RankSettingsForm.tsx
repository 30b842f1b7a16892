import { useState } from 'react';
import { Alert, Button, Col, DatePicker, Divider, Flex, Form, Input, InputNumber, Row, Table, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { fieldPath, type UserErrorLike } from '../../graphql/userErrors';
import {
  validateRankSettings,
  weightSum,
  weightsSumToOne,
  type MetricSettingValues,
  type RankSettingsFormValues,
  type ValidationIssue,
} from '../validation';

type FormShape = Omit<RankSettingsFormValues, 'effectiveFrom'> & { effectiveFrom: Dayjs | null };
type NamePath = (string | number)[];

interface Props {
  initialValues: RankSettingsFormValues;
  /** Sends the values; resolves to the payload's errors (empty on success). */
  onSubmit: (values: RankSettingsFormValues) => Promise<readonly UserErrorLike[]>;
  onCancel: () => void;
  onReloadLatest?: () => void;
}

const TOP_FIELDS = [
  'effectiveFrom',
  'note',
  'promotionThreshold',
  'promotionQuarters',
  'minTenureMonths',
  'demotionThreshold',
  'demotionQuarters',
] as const;
const METRIC_FIELDS = ['weight', 'baseline', 'floorMultiplier', 'ceilingMultiplier'] as const;

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function toPlain(values: FormShape): RankSettingsFormValues {
  return { ...values, effectiveFrom: values.effectiveFrom ? values.effectiveFrom.format('YYYY-MM-DD') : null };
}

/** Map an API error field to a form path: snake_case, metric codes and indices all accepted. */
function resolveServerPath(field: string, metrics: readonly MetricSettingValues[]): NamePath | null {
  const path = fieldPath(field).map((p) => (typeof p === 'string' ? camel(p) : p));
  const [head, second, third] = path;
  if (path.length === 1 && typeof head === 'string' && (TOP_FIELDS as readonly string[]).includes(head)) return path;
  if (head === 'metrics' && path.length === 1) return ['metrics'];
  if (head !== 'metrics') return null;
  const index = typeof second === 'number' ? second : metrics.findIndex((m) => m.metricCode === second);
  if (index < 0 || index >= metrics.length) return ['metrics'];
  return typeof third === 'string' && (METRIC_FIELDS as readonly string[]).includes(third) ? ['metrics', index, third] : ['metrics'];
}

function allPaths(metricCount: number): NamePath[] {
  const rows = Array.from({ length: metricCount }, (_, i) => METRIC_FIELDS.map((f): NamePath => ['metrics', i, f]));
  return [...TOP_FIELDS.map((f): NamePath => [f]), ...rows.flat()];
}

function applyIssues(form: FormInstance<FormShape>, metricCount: number, fieldIssues: Map<string, string[]>) {
  // antd types name paths per form shape; ours are built at run time from the same shape.
  form.setFields(
    allPaths(metricCount).map((name) => ({ name: name as never, errors: fieldIssues.get(JSON.stringify(name)) ?? [] })),
  );
}

/** The rank settings editor: rules, per-metric weights/baselines/multipliers, local and API errors. */
export function RankSettingsForm({ initialValues, onSubmit, onCancel, onReloadLatest }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormShape>();
  const [attempted, setAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [listErrors, setListErrors] = useState<string[]>([]);
  const [formErrors, setFormErrors] = useState<UserErrorLike[]>([]);
  const metrics = Form.useWatch('metrics', form) ?? initialValues.metrics;
  const metricCount = initialValues.metrics.length;

  const message = (issue: ValidationIssue) => t(`ranks.validation.${issue.key}`, issue.params ?? {});

  const runValidation = (): boolean => {
    const issues = validateRankSettings(toPlain(form.getFieldsValue(true) as FormShape));
    const byPath = new Map<string, string[]>();
    const list: string[] = [];
    for (const issue of issues) {
      if (issue.path.length === 1 && issue.path[0] === 'metrics') list.push(message(issue));
      else byPath.set(JSON.stringify(issue.path), [...(byPath.get(JSON.stringify(issue.path)) ?? []), message(issue)]);
    }
    applyIssues(form, metricCount, byPath);
    setListErrors(list);
    return issues.length === 0;
  };

  const submit = async () => {
    setAttempted(true);
    setFormErrors([]);
    if (!runValidation()) return;
    const values = toPlain(form.getFieldsValue(true) as FormShape);
    setSubmitting(true);
    try {
      const errors = await onSubmit(values);
      const byPath = new Map<string, string[]>();
      const unbound: UserErrorLike[] = [];
      const list: string[] = [];
      for (const error of errors) {
        const path = error.field ? resolveServerPath(error.field, values.metrics) : null;
        if (!path) unbound.push(error);
        else if (path.length === 1 && path[0] === 'metrics') list.push(error.message);
        else byPath.set(JSON.stringify(path), [...(byPath.get(JSON.stringify(path)) ?? []), error.message]);
      }
      if (errors.length) {
        applyIssues(form, metricCount, byPath);
        setListErrors(list);
        setFormErrors(unbound);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const stale = formErrors.some((e) => e.code === 'STALE_VERSION');
  const sum = weightSum(metrics ?? []);

  return (
    <Form<FormShape>
      form={form}
      layout="vertical"
      data-testid="rank-settings-form"
      initialValues={{ ...initialValues, effectiveFrom: initialValues.effectiveFrom ? dayjs(initialValues.effectiveFrom) : null }}
      onValuesChange={() => {
        if (attempted) runValidation();
      }}
      onFinish={submit}
      requiredMark={false}
    >
      {formErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="settings-form-error"
          style={{ marginBottom: 16 }}
          title={formErrors.map((e) => t(`errorCode.${e.code}`)).filter((v, i, a) => a.indexOf(v) === i).join(' · ')}
          description={
            <>
              {formErrors.map((e, i) => (
                <div key={i}>{e.message}</div>
              ))}
              {stale && <div>{t('ranks.staleHint')}</div>}
            </>
          }
          action={
            stale && onReloadLatest ? (
              <Button size="small" onClick={onReloadLatest} data-testid="settings-reload">
                {t('ranks.reload')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Divider titlePlacement="start" plain>{t('ranks.form.general')}</Divider>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="effectiveFrom" label={t('ranks.form.effectiveFrom')}>
            <DatePicker style={{ width: '100%' }} data-testid="field-effectiveFrom" allowClear={false} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="note" label={t('ranks.form.note')}>
            <Input placeholder={t('ranks.form.notePlaceholder')} data-testid="field-note" maxLength={500} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>{t('ranks.form.rules')}</Divider>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="promotionThreshold" label={t('ranks.form.promotionThreshold')}>
            <InputNumber style={{ width: '100%' }} step={0.05} min={0} data-testid="field-promotionThreshold" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="promotionQuarters" label={t('ranks.form.promotionQuarters')}>
            <InputNumber style={{ width: '100%' }} step={1} min={0} data-testid="field-promotionQuarters" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="minTenureMonths" label={t('ranks.form.minTenureMonths')}>
            <InputNumber style={{ width: '100%' }} step={1} min={0} data-testid="field-minTenureMonths" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="demotionThreshold" label={t('ranks.form.demotionThreshold')}>
            <InputNumber style={{ width: '100%' }} step={0.05} min={0} data-testid="field-demotionThreshold" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="demotionQuarters" label={t('ranks.form.demotionQuarters')}>
            <InputNumber style={{ width: '100%' }} step={1} min={0} data-testid="field-demotionQuarters" />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start" plain>{t('ranks.form.metrics')}</Divider>
      <Form.List name="metrics">
        {(fields) => (
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={fields}
            columns={[
              {
                title: t('ranks.metric'),
                key: 'metric',
                render: (_, field) => {
                  const row = initialValues.metrics[field.name];
                  return (
                    <>
                      <Typography.Text strong>{row?.metricName}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {row?.metricCode}
                        {row?.unit ? ` · ${row.unit}` : ''}
                      </Typography.Text>
                    </>
                  );
                },
              },
              ...METRIC_FIELDS.map((name) => ({
                title: t(`ranks.${name === 'floorMultiplier' ? 'floor' : name === 'ceilingMultiplier' ? 'ceiling' : name}`),
                key: name,
                width: name === 'baseline' ? 170 : 120,
                render: (_: unknown, field: { name: number }) => {
                  const row = initialValues.metrics[field.name];
                  return (
                    <Form.Item name={[field.name, name]} style={{ margin: 0 }}>
                      <InputNumber
                        style={{ width: '100%' }}
                        step={name === 'weight' ? 0.05 : name === 'baseline' ? (row?.isInteger ? 1 : undefined) : 0.1}
                        data-testid={`metric-${row?.metricCode}-${name}`}
                        aria-label={`${row?.metricName} ${name}`}
                      />
                    </Form.Item>
                  );
                },
              })),
            ]}
          />
        )}
      </Form.List>
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Typography.Text type={weightsSumToOne(metrics ?? []) ? 'success' : 'warning'} data-testid="weight-sum">
          {t('ranks.form.weightSum', { sum })}
        </Typography.Text>
      </Flex>
      {listErrors.length > 0 && (
        <div role="alert" data-testid="metrics-error" style={{ color: '#ff4d4f', marginTop: 4 }}>
          {listErrors.map((e, i) => (
            <div key={i}>{e}</div>
          ))}
        </div>
      )}
      <Flex justify="end" gap={8} style={{ marginTop: 24 }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="settings-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
