import { Descriptions, Drawer, Flex, Timeline, Typography } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { useDrawerSize } from '../../components/useDrawerSize';
import { useFormat } from '../../i18n/format';
import { figureDetails, figureSentence } from '../figures';
import { alertDetailsQuery } from '../queries';
import { SeverityTag, StateTag } from '../components/AlertTags';
import { STATE_COLORS } from '../transitions';

/** One alert: what it says, its figures and every change of state, oldest first. */
export function AlertHistoryDrawer({ alertId, onClose }: { alertId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: alertDetailsQuery,
    variables: { id: alertId ?? '' },
    pause: !alertId,
    requestPolicy: 'cache-and-network',
  });
  const alert = data?.alert;
  const size = useDrawerSize(520);
  const actor = (name: string) => (name === 'system' ? t('alerts.system') : name);

  return (
    <Drawer open={!!alertId} onClose={onClose} title={t('alerts.historyTitle')} size={size} data-testid="alert-history-drawer" destroyOnHidden>
      <QueryState fetching={fetching} error={error} hasData={!!alert} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        {alert && (
          <>
            <Flex gap={6} wrap align="center" style={{ marginBottom: 8 }}>
              <SeverityTag severity={alert.severity} />
              <StateTag state={alert.state} />
              <Typography.Text strong>{alert.rep?.name}</Typography.Text>
            </Flex>
            <Typography.Paragraph data-testid="alert-history-sentence">{figureSentence(alert, t, fmt)}</Typography.Paragraph>
            <Descriptions size="small" column={1} title={t('alerts.figuresTitle')} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('alerts.rule')}>{alert.rule?.name}</Descriptions.Item>
              {figureDetails(alert.figures, t, fmt).map((row) => (
                <Descriptions.Item key={row.label} label={row.label}>
                  {row.value}
                </Descriptions.Item>
              ))}
            </Descriptions>
            <Timeline
              data-testid="alert-history-events"
              items={alert.history.map((event, i) => ({
                key: i,
                color: STATE_COLORS[event.toState],
                content: (
                  <div data-testid="alert-history-event">
                    <Typography.Text strong>
                      {event.fromState
                        ? t('alerts.changed', { from: t(`alerts.states.${event.fromState}`), to: t(`alerts.states.${event.toState}`) })
                        : t('alerts.raised')}
                    </Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {t('alerts.by', { actor: actor(event.actor) })} · {fmt.dateTime(event.at)}
                    </Typography.Text>
                    {event.note && <Typography.Paragraph style={{ margin: '4px 0 0' }}>{event.note}</Typography.Paragraph>}
                  </div>
                ),
              }))}
            />
          </>
        )}
      </QueryState>
    </Drawer>
  );
}
