import { Alert, App, Button, Drawer } from 'antd';
import type { Change } from '../../graphql/useLiveChanges';
import { useMemo } from 'react';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import type { UserErrorLike } from '../../graphql/userErrors';
import type { MetricFieldsFragment } from '../../gql/graphql';
import { updateRankSettingsMutation } from '../mutations';
import { RankSettingsForm } from '../components/RankSettingsForm';
import type { RankRow } from '../components/RankTable';
import { toFormValues, toMutationInput } from '../settingsValues';
import type { RankSettingsFormValues } from '../validation';

interface Props {
  rank?: RankRow;
  catalogue: MetricFieldsFragment[];
  /** Someone else changed this rank while the drawer was open. */
  externalChange?: Change;
  onClose: () => void;
  onReloadLatest: () => void;
}

/** Edits a rank's settings; saving appends a new effective-dated version. */
export function RankSettingsDrawer({ rank, catalogue, externalChange, onClose, onReloadLatest }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [, updateSettings] = useMutation(updateRankSettingsMutation);
  const base = rank?.latestSettings ?? rank?.currentSettings;
  const expectedVersion = base?.version ?? 0;
  const initialValues = useMemo(() => (rank ? toFormValues(base, catalogue) : undefined), [rank, base, catalogue]);

  const submit = async (values: RankSettingsFormValues): Promise<readonly UserErrorLike[]> => {
    if (!rank) return [];
    const result = await updateSettings({ input: toMutationInput(rank.id, expectedVersion, values) });
    if (result.error) return [{ code: 'INVALID', field: null, message: result.error.message }];
    const payload = result.data?.updateRankSettings;
    if (!payload) return [{ code: 'INVALID', field: null, message: t('common.loadError') }];
    if (payload.errors.length) return payload.errors;
    const version = payload.rank?.latestSettings?.version ?? expectedVersion + 1;
    void message.success({ content: t('ranks.saved', { version }), key: 'rank-saved' });
    onClose();
    return [];
  };

  return (
    <Drawer
      open={!!rank}
      onClose={onClose}
      size={880}
      title={rank ? t('ranks.settingsOf', { name: `${rank.code} ${rank.name}` }) : ''}
      data-testid="settings-drawer"
      destroyOnHidden
    >
      {externalChange && (
        <Alert
          type="warning"
          showIcon
          data-testid="settings-external-change"
          style={{ marginBottom: 16 }}
          title={t('ranks.changedMeanwhile', { actor: externalChange.actor })}
          action={
            <Button size="small" onClick={onReloadLatest}>
              {t('ranks.reload')}
            </Button>
          }
        />
      )}
      {rank && initialValues && (
        <RankSettingsForm
          key={`${rank.id}-${expectedVersion}`}
          initialValues={initialValues}
          onSubmit={submit}
          onCancel={onClose}
          onReloadLatest={onReloadLatest}
        />
      )}
    </Drawer>
  );
}
