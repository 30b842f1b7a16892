import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/MeContext';
import MyProgressView from '../../tracking/views/MyProgressView';
import TrackingView from '../../tracking/views/TrackingView';
import DashboardView from './DashboardView';

/**
 * The home page: a rep's own progress; for planners and managers progress against the active
 * plan, or the company overview while no plan is tracked (the overview stays at /overview).
 */
export default function HomeView() {
  const { t } = useTranslation();
  const me = useMe();
  if (me?.repId) return <MyProgressView repId={me.repId} />;
  return (
    <TrackingView
      onNoPlan={() => (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('tracking.noPlan')} data-testid="no-tracked-plan" />
          <DashboardView />
        </>
      )}
    />
  );
}
