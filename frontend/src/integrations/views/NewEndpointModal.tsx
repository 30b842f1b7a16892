import { useMemo, useState } from 'react';
import { Checkbox, Form, Input, Modal, TreeSelect } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { OrgUnitFieldsFragment, WebhookEventType } from '../../gql/graphql';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import { isWebhookUrl } from '../format';
import { createWebhookEndpointMutation } from '../mutations';

export const EVENT_TYPES: WebhookEventType[] = [
  'ALERT_OPENED',
  'ALERT_ACKNOWLEDGED',
  'ALERT_RESOLVED',
  'ADJUSTMENT_REQUESTED',
  'ADJUSTMENT_APPROVED',
  'ADJUSTMENT_REFUSED',
];

interface Values {
  url: string;
  eventTypes: WebhookEventType[];
  scopeOrgId?: string;
}

/** A new endpoint; on success its signing secret goes to `onCreated` (shown once). */
export function NewEndpointModal({ open, orgUnits, onClose, onCreated }: { open: boolean; orgUnits: OrgUnitFieldsFragment[]; onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [{ fetching }, create] = useMutation(createWebhookEndpointMutation);
  const treeData = useMemo(() => toAntTree(buildOrgTree(orgUnits)), [orgUnits]);

  const submit = async (values: Values) => {
    setErrors([]);
    const result = await create({ input: { url: values.url.trim(), eventTypes: values.eventTypes, scopeOrgId: values.scopeOrgId ?? null } });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const payload = result.data?.createWebhookEndpoint;
    if (!payload) return;
    if (payload.errors.length || !payload.secret) return setErrors(applyPayloadErrors(form, payload.errors, ['url', 'eventTypes', 'scopeOrgId']));
    form.resetFields();
    onCreated(payload.secret);
  };

  return (
    <Modal
      open={open}
      title={t('webhooks.newEndpoint')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: fetching, 'data-testid': 'endpoint-save' }}
      forceRender
      data-testid="endpoint-modal"
    >
      <PayloadErrorAlert errors={errors} />
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ url: '', eventTypes: EVENT_TYPES }} requiredMark={false}>
        <Form.Item
          name="url"
          label={t('webhooks.url')}
          extra={t('webhooks.urlHelp')}
          rules={[
            { required: true, message: t('webhooks.required') },
            { validator: async (_, v: string) => { if (v && !isWebhookUrl(v)) throw new Error(t('webhooks.urlInvalid')); } },
          ]}
        >
          <Input data-testid="endpoint-url" placeholder="https://" />
        </Form.Item>
        <Form.Item name="eventTypes" label={t('webhooks.events')} rules={[{ required: true, message: t('webhooks.required') }]}>
          <Checkbox.Group data-testid="endpoint-events" options={EVENT_TYPES.map((e) => ({ value: e, label: t(`webhooks.eventTypes.${e}`) }))} />
        </Form.Item>
        <Form.Item name="scopeOrgId" label={t('webhooks.scope')}>
          <TreeSelect allowClear showSearch placeholder={t('webhooks.wholeCompany')} treeData={treeData} treeNodeFilterProp="label" treeNodeLabelProp="label" treeDefaultExpandedKeys={treeData.map((n) => n.key)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
