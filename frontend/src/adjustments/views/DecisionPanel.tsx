import { useState } from 'react';
import { App, Button, Flex, Form, Input, InputNumber, Popconfirm } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { AdjustmentRequestFieldsFragment } from '../../gql/graphql';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { useFormat } from '../../i18n/format';
import { decideAdjustmentMutation, withdrawAdjustmentMutation } from '../mutations';
import { decisionProblem, MAX_REASON, type AdjustmentAction } from '../permissions';
import { offersSameDifficulty, roundTotal } from '../proposal';

interface Props {
  request: AdjustmentRequestFieldsFragment;
  actions: AdjustmentAction[];
  onDone: () => void;
  onReload: () => void;
}

interface Values {
  periodTotal: number | null;
  reason: string;
}

/** Approve (the total asked, another, or the same-difficulty one), refuse with a reason, or withdraw one's own. */
export function DecisionPanel({ request, actions, onDone, onReload }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [decideState, decide] = useMutation(decideAdjustmentMutation);
  const [withdrawState, withdraw] = useMutation(withdrawAdjustmentMutation);
  const total = Form.useWatch('periodTotal', form);
  const same = request.proposal?.sameDifficultyTotal;
  const canDecide = actions.includes('approve');

  async function send(approve: boolean) {
    setErrors([]);
    const values = form.getFieldsValue();
    const problem = decisionProblem(approve, values.reason ?? '');
    if (problem) {
      form.setFields([{ name: 'reason', errors: [problem === 'required' ? t('adjustments.refuseReasonRequired') : t('adjustments.tooLong', { max: MAX_REASON })] }]);
      return;
    }
    const input = { requestId: request.id, expectedVersion: request.version, approve, reason: (values.reason ?? '').trim(), periodTotal: approve ? (values.periodTotal ?? null) : null };
    const result = await decide({ input });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const found = result.data?.decideAdjustment.errors ?? [];
    if (found.length) return setErrors(applyPayloadErrors(form, found, ['periodTotal', 'reason']));
    void message.success(t(approve ? 'adjustments.approved' : 'adjustments.refused'));
    onDone();
  }

  async function onWithdraw() {
    setErrors([]);
    const result = await withdraw({ requestId: request.id, expectedVersion: request.version });
    if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
    const found = result.data?.withdrawAdjustment.errors ?? [];
    if (found.length) return setErrors(found);
    void message.success(t('adjustments.withdrawn'));
    onDone();
  }

  if (actions.length === 0) return null;
  return (
    <div data-testid="adjustment-decision">
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      {canDecide && (
        <Form form={form} layout="vertical" requiredMark={false} initialValues={{ periodTotal: null, reason: '' }}>
          <Form.Item name="periodTotal" label={t('adjustments.approvedTotal')} extra={t('adjustments.approveHelp')}>
            <InputNumber min={0} style={{ width: '100%' }} placeholder={t('adjustments.approvedTotalPlaceholder', { amount: fmt.amount(request.proposal?.requestedTotal) })} data-testid="decision-total" />
          </Form.Item>
          {offersSameDifficulty(same, total ?? request.proposal?.requestedTotal) && (
            <Button size="small" style={{ marginTop: -12, marginBottom: 12 }} data-testid="decision-use-same-difficulty" onClick={() => form.setFieldsValue({ periodTotal: roundTotal(same) })}>
              {t('adjustments.proposal.useSameDifficulty')}: {t('adjustments.proposal.sameDifficulty')} {fmt.amount(same)}
            </Button>
          )}
          <Form.Item name="reason" label={t('adjustments.decisionNote')} extra={t('adjustments.refuseReason')}>
            <Input.TextArea rows={2} maxLength={MAX_REASON} data-testid="decision-reason" />
          </Form.Item>
        </Form>
      )}
      <Flex gap={8} wrap>
        {canDecide && (
          <Button type="primary" loading={decideState.fetching} data-testid="adjustment-approve" onClick={() => void send(true)}>
            {t('adjustments.approve')}
          </Button>
        )}
        {actions.includes('refuse') && (
          <Button danger loading={decideState.fetching} data-testid="adjustment-refuse" onClick={() => void send(false)}>
            {t('adjustments.refuse')}
          </Button>
        )}
        {actions.includes('withdraw') && (
          <Popconfirm title={t('adjustments.withdrawConfirm')} onConfirm={() => void onWithdraw()} okButtonProps={{ 'data-testid': 'withdraw-confirm' } as never}>
            <Button loading={withdrawState.fetching} data-testid="adjustment-withdraw">
              {t('adjustments.withdraw')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </div>
  );
}
