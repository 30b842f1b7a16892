import { Alert, App, Button, Space, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** A secret shown this once, with a copy button; closing it forgets it. */
export function SecretAlert({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success(t('webhooks.copied'));
    } catch {
      void message.info(secret);
    }
  };
  return (
    <Alert
      type="success"
      showIcon
      closable={{ onClose }}
      style={{ marginBottom: 16 }}
      title={t('webhooks.secretTitle')}
      data-testid="endpoint-secret"
      description={
        <Space direction="vertical" style={{ maxWidth: '100%' }}>
          <Typography.Text>{t('webhooks.secretHelp')}</Typography.Text>
          <Space wrap>
            <Typography.Text code data-testid="endpoint-secret-value" style={{ wordBreak: 'break-all' }}>
              {secret}
            </Typography.Text>
            <Button size="small" icon={<CopyOutlined />} onClick={copy}>
              {t('webhooks.copy')}
            </Button>
          </Space>
        </Space>
      }
    />
  );
}
