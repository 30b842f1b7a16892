import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { AlertFieldsFragment } from '../../gql/graphql';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { useFormat } from '../../i18n/format';
import { figureSentence } from '../figures';
import { acknowledgeAlertMutation, resolveAlertMutation } from '../mutations';
import { MAX_NOTE, noteProblem, type AlertAction } from '../transitions';

interface Props {
  alert?: AlertFieldsFragment;
  action?: AlertAction;
  onClose: () => void;
  onReload: () => void;
}

/** Acknowledge (note optional) or resolve (note required) one alert at the version seen. */
export function AlertActionModal({ alert, action, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [ackState, acknowledge] = useMutation(acknowledgeAlertMutation);
  const [resolveState, resolve] = useMutation(resolveAlertMutation);
  const open = !!alert && !!action;
  // A fresh note each time the dialog opens (the form's store outlives the hidden dialog).
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setErrors([]);
  }, [open, action, alert?.id, form]);

  const submit = async ({ note }: { note: string }) => {
    if (!alert || !action) return;
    setErrors([]);
    const input = { alertId: alert.id, expectedVersion: alert.version, note: note.trim() };
    const result = action === 'acknowledge' ? await acknowledge({ input }) : await resolve({ input });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const data = result.data as { acknowledgeAlert?: { errors: UserErrorLike[] }; resolveAlert?: { errors: UserErrorLike[] } } | undefined;
    const payloadErrors = (action === 'acknowledge' ? data?.acknowledgeAlert?.errors : data?.resolveAlert?.errors) ?? [];
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['note']));
    void message.success(t(action === 'acknowledge' ? 'alerts.acknowledged' : 'alerts.resolved'));
    onClose();
  };

  return (
    <Modal
      open={open}
      title={action ? t(action === 'acknowledge' ? 'alerts.acknowledgeTitle' : 'alerts.resolveTitle') : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={action ? t(`alerts.${action}`) : undefined}
      okButtonProps={{ loading: ackState.fetching || resolveState.fetching, 'data-testid': 'alert-action-ok' }}
      destroyOnHidden
      data-testid="alert-action-modal"
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      {alert && (
        <Typography.Paragraph>
          <Typography.Text strong>{alert.rep?.name}</Typography.Text>: {figureSentence(alert, t, fmt)}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">{t(action === 'resolve' ? 'alerts.resolveHelp' : 'alerts.acknowledgeHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ note: '' }} requiredMark={false}>
        <Form.Item
          name="note"
          label={t('alerts.note')}
          rules={[
            {
              validator: async (_, value: string | undefined) => {
                const problem = action ? noteProblem(action, value ?? '') : null;
                if (problem === 'required') throw new Error(t('alerts.noteRequired'));
                if (problem === 'tooLong') throw new Error(t('alerts.noteTooLong', { max: MAX_NOTE }));
              },
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={MAX_NOTE}
            data-testid="alert-note"
            placeholder={t(action === 'resolve' ? 'alerts.notePlaceholderResolve' : 'alerts.notePlaceholderAcknowledge')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
