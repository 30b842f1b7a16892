import { useState } from 'react';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { createRankMutation, updateRankMutation } from '../mutations';
import type { RankRow } from '../components/RankTable';

interface Values {
  code: string;
  name: string;
  level: number;
  description: string;
}

interface Props {
  open: boolean;
  /** Edit this rank's name and description; without it, create a new rank. */
  rank?: RankRow;
  nextLevel: number;
  onClose: (changed: boolean) => void;
}

/** A new rung on the ladder (code, level, name), or a new name and description for one. */
export function RankDetailsModal({ open, rank, nextLevel, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [{ fetching: creating }, create] = useMutation(createRankMutation);
  const [{ fetching: updating }, update] = useMutation(updateRankMutation);

  const submit = async (values: Values) => {
    setErrors([]);
    let payloadErrors: readonly UserErrorLike[];
    if (rank) {
      const result = await update({ input: { id: rank.id, name: values.name.trim(), description: values.description.trim() } });
      if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
      payloadErrors = result.data?.updateRank.errors ?? [];
    } else {
      const input = { code: values.code.trim(), name: values.name.trim(), level: values.level, description: values.description.trim() };
      const result = await create({ input });
      if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
      payloadErrors = result.data?.createRank.errors ?? [];
    }
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['code', 'name', 'level', 'description']));
    void message.success(t('ranks.savedRank'));
    onClose(true);
  };

  return (
    <Modal
      open={open}
      title={rank ? t('ranks.editRank', { name: `${rank.code} ${rank.name}` }) : t('ranks.newRank')}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: creating || updating, 'data-testid': 'rank-details-save' }}
      destroyOnHidden
      data-testid="rank-details-modal"
    >
      <PayloadErrorAlert errors={errors} />
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={
          rank
            ? { code: rank.code, name: rank.name, level: rank.level, description: rank.description }
            : { code: '', name: '', level: nextLevel, description: '' }
        }
      >
        <Form.Item
          name="code"
          label={t('ranks.code')}
          rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}
        >
          <Input disabled={!!rank} maxLength={20} data-testid="rank-code" />
        </Form.Item>
        <Form.Item name="level" label={t('ranks.level')} extra={rank ? undefined : t('ranks.levelHint')}>
          <InputNumber min={1} precision={0} disabled={!!rank} style={{ width: '100%' }} data-testid="rank-level" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('ranks.name')}
          rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}
        >
          <Input maxLength={100} data-testid="rank-name" />
        </Form.Item>
        <Form.Item name="description" label={t('dashboard.description')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="rank-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
