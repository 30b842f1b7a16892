import { useState } from 'react';
import { App, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { recordRepLeavingMutation } from '../mutations';

interface Props {
  rep: { id: string; version: number; name: string };
  open: boolean;
  onClose: () => void;
  onReload: () => void;
}

interface Values {
  leaveDate: Dayjs;
  reason: string;
}

/** Record a rep's leaving: their targets after the date go to 0 and the plan's policy handles the rest. */
export function RecordLeavingModal({ rep, open, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [{ fetching }, record] = useMutation(recordRepLeavingMutation);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);

  const submit = async (values: Values) => {
    setErrors([]);
    const result = await record({
      input: { repId: rep.id, expectedVersion: rep.version, leaveDate: values.leaveDate.format('YYYY-MM-DD'), reason: values.reason.trim() },
    });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const payloadErrors = result.data?.recordRepLeaving.errors ?? [];
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['leaveDate', 'reason']));
    void message.success(t('peopleChanges.recorded'));
    onClose();
  };

  return (
    <Modal
      open={open}
      title={`${t('peopleChanges.recordLeaving')} · ${rep.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: fetching, 'data-testid': 'record-leaving-save' }}
      destroyOnHidden
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="leaveDate" label={t('peopleChanges.leaveDate')} rules={[{ required: true, message: t('peopleChanges.leaveDateRequired') }]}>
          <DatePicker style={{ width: '100%' }} data-testid="record-leaving-date" />
        </Form.Item>
        <Form.Item name="reason" label={t('peopleChanges.reason')} rules={[{ required: true, whitespace: true, message: t('peopleChanges.reasonRequired') }]}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="record-leaving-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
