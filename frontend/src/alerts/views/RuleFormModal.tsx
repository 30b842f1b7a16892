import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Radio, Select, Switch, TreeSelect } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { AlertRuleFieldsFragment, AlertRuleKind, AlertRulesQuery } from '../../gql/graphql';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import { createAlertRuleMutation, updateAlertRuleMutation } from '../mutations';
import {
  FORM_FIELDS,
  KEY_PATTERN,
  KIND_DEFAULTS,
  PARAM_FIELDS,
  RULE_KINDS,
  SEVERITIES,
  formFieldOf,
  fromRule,
  suggestKey,
  toRuleInput,
  type RuleFormValues,
} from '../ruleForm';

interface Props {
  open: boolean;
  /** The current version when editing; none: a new rule. */
  rule?: AlertRuleFieldsFragment;
  metrics: AlertRulesQuery['metrics'];
  orgUnits: AlertRulesQuery['orgUnits'];
  onClose: () => void;
  onReload: () => void;
}

const NEW_RULE: RuleFormValues = { key: '', name: '', kind: 'BEHIND_PACE', metric: 'revenue', scopeOrgId: null, severity: 'WARNING', active: true, ...KIND_DEFAULTS.BEHIND_PACE };

/** Create a rule, or save the next version of one; the fields follow the kind chosen. */
export function RuleFormModal({ open, rule, metrics, orgUnits, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const kind = Form.useWatch('kind', form) ?? rule?.kind ?? 'BEHIND_PACE';
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [createState, create] = useMutation(createAlertRuleMutation);
  const [updateState, update] = useMutation(updateAlertRuleMutation);
  const keyTouched = useRef(false);
  const treeData = useMemo(() => toAntTree(buildOrgTree(orgUnits)), [orgUnits]);
  const additive = metrics.filter((m) => m.kind === 'ADDITIVE');

  // Reset when the dialog opens or another rule is chosen (not when the catalogue re-renders).
  useEffect(() => {
    if (!open) return;
    setErrors([]);
    keyTouched.current = !!rule;
    form.resetFields();
    form.setFieldsValue(rule ? fromRule(rule) : { ...NEW_RULE, metric: additive[0]?.code ?? 'revenue' });
  }, [open, rule]);

  const onValuesChange = (changed: Partial<RuleFormValues>) => {
    if ('name' in changed && !keyTouched.current) form.setFieldValue('key', suggestKey(changed.name ?? ''));
    if ('key' in changed) keyTouched.current = true;
    if (changed.kind) {
      const defaults = KIND_DEFAULTS[changed.kind as AlertRuleKind];
      for (const [name, value] of Object.entries(defaults) as [keyof RuleFormValues, unknown][]) {
        if (form.getFieldValue(name) === undefined) form.setFieldValue(name, value);
      }
    }
  };

  const submit = async (values: RuleFormValues) => {
    setErrors([]);
    const input = toRuleInput(values);
    const result = rule
      ? await update({ key: rule.key, expectedVersion: rule.version, input })
      : await create({ key: values.key.trim(), input });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const data = result.data as
      | { createAlertRule?: { rule: { version: number } | null; errors: UserErrorLike[] }; updateAlertRule?: { rule: { version: number } | null; errors: UserErrorLike[] } }
      | undefined;
    const payload = rule ? data?.updateAlertRule : data?.createAlertRule;
    const payloadErrors = (payload?.errors ?? []).map((e) => ({ ...e, field: formFieldOf(e.field) }));
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, FORM_FIELDS));
    void message.success(rule ? t('alertRules.saved', { version: payload?.rule?.version ?? rule.version + 1 }) : t('alertRules.created'));
    onClose();
  };

  const required = { required: true, message: t('alertRules.required') };
  return (
    <Modal
      open={open}
      title={rule ? t('alertRules.editRule', { name: rule.name }) : t('alertRules.newRule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: createState.fetching || updateState.fetching, 'data-testid': 'rule-save' }}
      forceRender
      width={560}
      data-testid="rule-modal"
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      <Form<RuleFormValues> form={form} layout="vertical" onFinish={submit} onValuesChange={onValuesChange} requiredMark={false}>
        <Form.Item name="name" label={t('alertRules.name')} rules={[{ ...required, whitespace: true }]}>
          <Input data-testid="rule-name" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('alertRules.key')}
          extra={t('alertRules.keyHelp')}
          rules={[required, { pattern: KEY_PATTERN, message: t('alertRules.keyInvalid') }]}
          hidden={!!rule}
        >
          <Input data-testid="rule-key" maxLength={64} />
        </Form.Item>
        <Form.Item name="kind" label={t('alertRules.kind')} extra={t(`alertRules.kindHelp.${kind}`)} rules={[required]}>
          <Select data-testid="rule-kind" options={RULE_KINDS.map((k) => ({ value: k, label: t(`alertRules.kinds.${k}`) }))} />
        </Form.Item>
        {kind === 'BEHIND_PACE' && (
          <Form.Item name="grain" label={t('alertRules.grain')} rules={[required]}>
            <Radio.Group data-testid="rule-grain" options={(['WEEK', 'MONTH'] as const).map((g) => ({ value: g, label: t(`alertRules.grains.${g}`) }))} />
          </Form.Item>
        )}
        {PARAM_FIELDS[kind].map((field) => (
          <Form.Item key={`${kind}-${field.name}`} name={field.name} label={t(`alertRules.params.${field.name}`)} extra={t(`alertRules.paramHelp.${field.name}`)} rules={[required]}>
            <InputNumber
              data-testid={`rule-param-${field.name}`}
              min={field.min}
              max={field.max}
              step={field.step}
              precision={field.integer ? 0 : undefined}
              suffix={field.percent ? '%' : undefined}
              style={{ width: 200 }}
            />
          </Form.Item>
        ))}
        <Form.Item name="metric" label={t('alertRules.metric')} rules={[required]}>
          <Select data-testid="rule-metric" options={additive.map((m) => ({ value: m.code, label: m.name }))} />
        </Form.Item>
        <Form.Item name="scopeOrgId" label={t('alertRules.scope')}>
          <TreeSelect
            data-testid="rule-scope"
            allowClear
            showSearch
            placeholder={t('alertRules.wholeCompany')}
            treeData={treeData}
            treeNodeFilterProp="label"
            treeNodeLabelProp="label"
            treeDefaultExpandedKeys={treeData.map((n) => n.key)}
          />
        </Form.Item>
        <Form.Item name="severity" label={t('alertRules.severity')} rules={[required]}>
          <Radio.Group data-testid="rule-severity" optionType="button" options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severities.${s}`) }))} />
        </Form.Item>
        <Form.Item name="active" label={t('alertRules.active')} valuePropName="checked">
          <Switch data-testid="rule-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
