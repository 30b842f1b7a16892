import { useMemo, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Select, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import type { RepDetailsQuery } from '../../gql/graphql';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree, type AntTreeItem } from '../../orgTree/components/orgTreeData';
import { changeRepRankMutation, transferRepMutation } from '../mutations';

type Rep = NonNullable<RepDetailsQuery['rep']>;

interface Props {
  rep: Rep;
  ranks: RepDetailsQuery['ranks'];
  orgUnits: RepDetailsQuery['orgUnits'];
  open: boolean;
  onClose: () => void;
  onReload: () => void;
}

const networkError = (message: string): UserErrorLike[] => [{ code: 'INVALID', field: null, message }];

/** Promote or demote a rep from a date, with the reason kept in the rank history. */
export function ChangeRankModal({ rep, ranks, open, onClose, onReload }: Omit<Props, 'orgUnits'>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ rankId: string; effectiveFrom: Dayjs; reason: string }>();
  const [{ fetching }, changeRank] = useMutation(changeRepRankMutation);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);

  const submit = async (values: { rankId: string; effectiveFrom: Dayjs; reason: string }) => {
    setErrors([]);
    const result = await changeRank({
      input: {
        repId: rep.id,
        expectedVersion: rep.version,
        rankId: values.rankId,
        effectiveFrom: values.effectiveFrom.format('YYYY-MM-DD'),
        reason: values.reason.trim(),
      },
    });
    if (result.error) return setErrors(networkError(result.error.message));
    const payloadErrors = result.data?.changeRepRank.errors ?? [];
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['rankId', 'effectiveFrom', 'reason']));
    void message.success(t('rep.rankChanged'));
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('rep.changeRank')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: fetching, 'data-testid': 'change-rank-save' }}
      destroyOnHidden
      data-testid="change-rank-modal"
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ rankId: rep.rank.id, effectiveFrom: dayjs(), reason: '' }}
        requiredMark={false}
      >
        <Form.Item name="rankId" label={t('rep.newRank')} rules={[{ required: true, message: t('ranks.validation.required') }]}>
          <Select
            data-testid="change-rank-select"
            options={[...ranks].sort((a, b) => a.level - b.level).map((r) => ({ value: r.id, label: `${r.code} · ${r.name}` }))}
          />
        </Form.Item>
        <Form.Item name="effectiveFrom" label={t('rep.effectiveFrom')} rules={[{ required: true, message: t('ranks.validation.required') }]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('rep.reason')}
          rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}
        >
          <Input.TextArea rows={2} placeholder={t('rep.reasonPlaceholder')} data-testid="change-rank-reason" maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Only teams hold reps: every other unit is shown for orientation but cannot be picked. */
function teamsOnly(items: AntTreeItem[], kinds: Map<string, string>): (AntTreeItem & { disabled?: boolean })[] {
  return items.map((item) => ({
    ...item,
    disabled: kinds.get(item.key) !== 'TEAM',
    children: teamsOnly(item.children, kinds),
  }));
}

/** Move a rep to another team, with a reason for the audit trail. */
export function TransferModal({ rep, orgUnits, open, onClose, onReload }: Omit<Props, 'ranks'>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ teamId: string; reason: string }>();
  const [{ fetching }, transfer] = useMutation(transferRepMutation);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const treeData = useMemo(() => {
    const kinds = new Map(orgUnits.map((u) => [u.id, u.kind]));
    return teamsOnly(toAntTree(buildOrgTree(orgUnits)), kinds);
  }, [orgUnits]);

  const submit = async (values: { teamId: string; reason: string }) => {
    setErrors([]);
    const result = await transfer({
      input: { repId: rep.id, expectedVersion: rep.version, teamId: values.teamId, reason: values.reason.trim() },
    });
    if (result.error) return setErrors(networkError(result.error.message));
    const payloadErrors = result.data?.transferRep.errors ?? [];
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['teamId', 'reason']));
    void message.success(t('rep.transferred'));
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('rep.transfer')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: fetching, 'data-testid': 'transfer-save' }}
      destroyOnHidden
      data-testid="transfer-modal"
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ teamId: rep.team.id, reason: '' }} requiredMark={false}>
        <Form.Item name="teamId" label={t('rep.newTeam')} extra={t('rep.teamsOnly')} rules={[{ required: true, message: t('ranks.validation.required') }]}>
          <TreeSelect
            data-testid="transfer-team"
            showSearch
            treeNodeFilterProp="label"
            treeNodeLabelProp="label"
            treeDefaultExpandAll
            treeData={treeData}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('rep.reason')}
          rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}
        >
          <Input.TextArea rows={2} data-testid="transfer-reason" maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
