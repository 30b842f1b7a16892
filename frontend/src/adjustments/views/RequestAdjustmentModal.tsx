import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Divider, Form, Input, InputNumber, Modal, Select, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useClient, useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { AdjustmentInput, AdjustmentProposalFieldsFragment, AdjustmentReason } from '../../gql/graphql';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { uploadMutation } from '../../imports/upload';
import { useFormat } from '../../i18n/format';
import { requestAdjustmentMutation } from '../mutations';
import { MAX_REASON, REQUEST_REASONS } from '../permissions';
import { monthDiff } from '../proposal';
import { previewAdjustmentQuery } from '../queries';
import { FORM_FIELDS, onFormFields, queryErrors, toAdjustmentInput, todayIso, type MetricChoice } from '../requestForm';
import { AbsorbersTable } from '../components/AbsorbersTable';
import { MonthDiff } from '../components/MonthDiff';
import { ProposalSummary } from '../components/ProposalSummary';

interface Props {
  open: boolean;
  repId: string;
  choices: MetricChoice[];
  /** The metric the form opens on. */
  metric?: string;
  onClose: (submitted: boolean) => void;
}

interface FormValues {
  metric: string;
  periodTotal: number | null;
  effectiveDate: Dayjs;
  reason: AdjustmentReason;
  reasonText: string;
}

const FIELDS = [...new Set(Object.values(FORM_FIELDS))];

/** A rep asks for a new period total: preview the system's proposal, then submit (with an optional attachment). */
export function RequestAdjustmentModal({ open, repId, choices, metric, onClose }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const client = useClient();
  const [form] = Form.useForm<FormValues>();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [preview, setPreview] = useState<{ key: string; proposal: AdjustmentProposalFieldsFragment }>();
  const [previewing, setPreviewing] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [, request] = useMutation(requestAdjustmentMutation);
  const chosen = Form.useWatch('metric', form);
  const periodTotal = Form.useWatch('periodTotal', form);
  const choice = choices.find((c) => c.metricCode === chosen) ?? choices[0];

  // A fresh form each time the dialog opens (not when the progress behind it reloads).
  const firstMetric = metric ?? choices[0]?.metricCode;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ metric: firstMetric, effectiveDate: dayjs(todayIso()), reason: 'KEY_ACCOUNT_LOST', reasonText: '', periodTotal: null });
    setErrors([]);
    setFiles([]);
    setPreview(undefined);
  }, [open, firstMetric, form]);

  const showErrors = (found: UserErrorLike[]) => setErrors(applyPayloadErrors(form, onFormFields(found), FIELDS));

  /** The API's input from the form, once its own rules pass (undefined: they did not). */
  async function input(): Promise<AdjustmentInput | undefined> {
    setErrors([]);
    const values = await form.validateFields().catch(() => undefined);
    if (!values || !choice) return undefined;
    return toAdjustmentInput({ ...values, effectiveDate: values.effectiveDate.format('YYYY-MM-DD') }, choice, repId) ?? undefined;
  }

  async function onPreview() {
    const data = await input();
    if (!data) return;
    setPreviewing(true);
    try {
      const result = await client.query(previewAdjustmentQuery, { input: data }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) return showErrors(queryErrors(result.error));
      if (result.data) setPreview({ key: JSON.stringify(data), proposal: result.data.previewAdjustment });
    } finally {
      setPreviewing(false);
    }
  }

  async function onSubmit() {
    const data = await input();
    if (!data) return;
    setSubmitting(true);
    try {
      const file = files[0]?.originFileObj;
      const result = file ? await uploadMutation(requestAdjustmentMutation, { input: data, attachment: file }) : await request({ input: data });
      const failure = 'error' in result && result.error ? queryErrors(result.error) : 'errors' in result && result.errors?.length ? result.errors.map((e) => ({ code: 'INVALID' as const, field: null, message: e.message })) : [];
      if (failure.length) return showErrors(failure);
      const payload = result.data?.requestAdjustment;
      if (payload?.errors.length) return showErrors(payload.errors);
      void message.success(t('adjustments.submitted'));
      onClose(true);
    } finally {
      setSubmitting(false);
    }
  }

  const stale = preview && choice && preview.key !== JSON.stringify(toAdjustmentInput({ ...form.getFieldsValue(), effectiveDate: form.getFieldValue('effectiveDate')?.format?.('YYYY-MM-DD') ?? '' }, choice, repId));

  return (
    <Modal
      open={open}
      width={880}
      title={t('adjustments.requestTitle')}
      onCancel={() => onClose(false)}
      destroyOnHidden
      data-testid="request-adjustment-modal"
      footer={[
        <Button key="preview" onClick={onPreview} loading={previewing} data-testid="adjustment-preview">
          {t('adjustments.preview')}
        </Button>,
        <Button key="submit" type="primary" onClick={onSubmit} loading={submitting} data-testid="adjustment-submit">
          {t('adjustments.submit')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('adjustments.requestHelp')}</Typography.Paragraph>
      <PayloadErrorAlert errors={errors} />
      <Form form={form} layout="vertical" requiredMark={false} onValuesChange={() => setErrors([])}>
        <Form.Item name="metric" label={t('adjustments.metric')} extra={choice && t('adjustments.currentTotal') + ': ' + fmt.amount(choice.currentTotal)}>
          <Select data-testid="adjustment-metric" options={choices.map((c) => ({ value: c.metricCode, label: c.metricName }))} />
        </Form.Item>
        <Form.Item name="periodTotal" label={t('adjustments.newTotal')} rules={[{ required: true, message: t('adjustments.newTotalRequired') }]}>
          <InputNumber min={0} style={{ width: '100%' }} data-testid="adjustment-total" />
        </Form.Item>
        <Form.Item name="effectiveDate" label={t('adjustments.effectiveDate')} rules={[{ required: true, message: t('adjustments.effectiveRequired') }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} data-testid="adjustment-effective" />
        </Form.Item>
        <Form.Item name="reason" label={t('adjustments.reason')}>
          <Select data-testid="adjustment-reason" options={REQUEST_REASONS.map((r) => ({ value: r, label: t(`adjustments.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="reasonText"
          label={t('adjustments.reasonText')}
          rules={[
            { required: true, whitespace: true, message: t('adjustments.reasonTextRequired') },
            { max: MAX_REASON, message: t('adjustments.tooLong', { max: MAX_REASON }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={MAX_REASON} placeholder={t('adjustments.reasonTextPlaceholder')} data-testid="adjustment-reason-text" />
        </Form.Item>
        <Form.Item name="attachment" label={t('adjustments.attachment')} extra={t('adjustments.attachmentHelp')}>
          <Upload fileList={files} maxCount={1} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList.slice(-1))} data-testid="adjustment-attachment">
            <Button icon={<UploadOutlined />}>{t('adjustments.chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Form>
      {preview && (
        <div data-testid="adjustment-proposal">
          <Divider titlePlacement="start">{t('adjustments.proposal.title')}</Divider>
          {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('adjustments.previewStale')} data-testid="preview-stale" />}
          <ProposalSummary proposal={preview.proposal} current={periodTotal} onUseSameDifficulty={(total) => form.setFieldsValue({ periodTotal: total })} />
          <Typography.Title level={5}>{t('adjustments.months')}</Typography.Title>
          <MonthDiff rows={monthDiff(preview.proposal)} />
          {preview.proposal.absorbers.length > 0 && (
            <>
              <Typography.Title level={5}>{t('adjustments.absorbersTitle')}</Typography.Title>
              <AbsorbersTable absorbers={preview.proposal.absorbers} />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
