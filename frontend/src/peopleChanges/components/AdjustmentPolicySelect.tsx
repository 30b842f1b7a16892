import { App, Select } from 'antd';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import type { AdjustmentPolicy } from '../../gql/graphql';
import { planAdjustmentPolicyQuery, setAdjustmentPolicyMutation } from '../mutations';

const POLICIES: readonly AdjustmentPolicy[] = ['REDISTRIBUTE', 'RELIEVE', 'ASK'];

/** How the plan handles people changes (leaving, absence, joiners): redistribute, relieve or ask. */
export function AdjustmentPolicySelect({ planId, onSaved }: { planId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [{ data }, refetch] = useQuery({ query: planAdjustmentPolicyQuery, variables: { id: planId }, requestPolicy: 'network-only' });
  const [{ fetching }, setPolicy] = useMutation(setAdjustmentPolicyMutation);
  const plan = data?.plan;
  if (!plan) return null;

  async function change(policy: AdjustmentPolicy) {
    if (!plan) return;
    const result = await setPolicy({ planId, expectedVersion: plan.version, policy });
    const payload = result.data?.setAdjustmentPolicy;
    if (payload?.errors.length) void message.error(payload.errors.map((e) => e.message).join('; '));
    else if (payload) void message.success(t('peopleChanges.policySaved'));
    refetch({ requestPolicy: 'network-only' });
    onSaved();
  }

  return (
    <Select<AdjustmentPolicy>
      size="small"
      data-testid="plan-adjustment-policy"
      value={plan.adjustmentPolicy}
      loading={fetching}
      style={{ minWidth: 180 }}
      popupMatchSelectWidth={false}
      onChange={change}
      aria-label={t('peopleChanges.policy')}
      options={POLICIES.map((p) => ({ value: p, label: t(`peopleChanges.policies.${p}`) }))}
    />
  );
}
