import { Alert, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupRelaxations, type Relaxation } from '../relaxations';

/** A short summary above the plan when soft constraints had to give: counts per family. */
export function RelaxationsAlert({ relaxations, onShow }: { relaxations: readonly Relaxation[]; onShow: () => void }) {
  const { t } = useTranslation();
  if (relaxations.length === 0) return null;
  const groups = groupRelaxations(relaxations);
  return (
    <Alert
      type="info"
      showIcon
      data-testid="relaxations-alert"
      style={{ marginBottom: 16 }}
      title={t('plans.relaxations.summary', { count: relaxations.length })}
      description={
        <Space wrap size={4}>
          {groups.map((g) => (
            <Tag key={g.family} data-testid={`relaxations-count-${g.family}`}>
              {t(`plans.relaxations.family.${g.family}`)} · {g.items.length}
            </Tag>
          ))}
          <Typography.Text type="secondary">{t('plans.relaxations.summaryHelp')}</Typography.Text>
        </Space>
      }
      action={
        <Button size="small" onClick={onShow} data-testid="relaxations-show">
          {t('plans.relaxations.show')}
        </Button>
      }
    />
  );
}

/** Every relaxation as a sentence with its suggested action, grouped by family (highest first). */
export function RelaxationsPanel({ relaxations }: { relaxations: readonly Relaxation[] }) {
  const { t } = useTranslation();
  if (relaxations.length === 0) {
    return <Empty description={t('plans.relaxations.none')} data-testid="relaxations-empty" />;
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16} data-testid="relaxations-panel">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('plans.relaxations.help')}
      </Typography.Paragraph>
      {groupRelaxations(relaxations).map((group) => (
        <Card
          key={group.family}
          size="small"
          data-testid={`relaxations-group-${group.family}`}
          title={
            <Space>
              {t(`plans.relaxations.family.${group.family}`)}
              <Tag>{group.items.length}</Tag>
            </Space>
          }
        >
          <List
            size="small"
            dataSource={group.items}
            pagination={group.items.length > 10 ? { pageSize: 10, size: 'small' } : false}
            renderItem={(r) => (
              <List.Item data-testid="relaxation-item">
                <Space direction="vertical" size={2}>
                  <Typography.Text data-testid="relaxation-situation">{r.situation}</Typography.Text>
                  <Typography.Text type="secondary" data-testid="relaxation-action">
                    {t('plans.relaxations.suggestion')} {r.action}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ))}
    </Space>
  );
}
