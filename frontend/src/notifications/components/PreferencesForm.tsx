import { Descriptions, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationChannel, NotificationMode } from '../../gql/graphql';

export const CHANNEL_MODES: Record<NotificationChannel, NotificationMode[]> = {
  IN_APP: ['IMMEDIATE', 'OFF'],
  EMAIL: ['IMMEDIATE', 'DIGEST', 'OFF'],
};

interface Props {
  value: { inApp: NotificationMode; email: NotificationMode };
  saving?: NotificationChannel;
  onChange: (channel: NotificationChannel, mode: NotificationMode) => void;
}

/** How each channel tells you: the inbox at once or not, e-mail at once, daily or not. */
export function PreferencesForm({ value, saving, onChange }: Props) {
  const { t } = useTranslation();
  const row = (channel: NotificationChannel, current: NotificationMode) => (
    <Descriptions.Item key={channel} label={t(`notifications.channels.${channel}`)}>
      <div>
        <Radio.Group
          data-testid={`preference-${channel}`}
          optionType="button"
          value={current}
          disabled={saving === channel}
          onChange={(e) => onChange(channel, e.target.value as NotificationMode)}
          options={CHANNEL_MODES[channel].map((mode) => ({ value: mode, label: t(`notifications.modes.${mode}`) }))}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
          {t(`notifications.modeHelp.${channel}_${current}`)}
        </Typography.Paragraph>
      </div>
    </Descriptions.Item>
  );
  return (
    <Descriptions column={1} bordered size="middle" data-testid="notification-preferences" styles={{ label: { width: 140 } }}>
      {row('IN_APP', value.inApp)}
      {row('EMAIL', value.email)}
    </Descriptions>
  );
}
