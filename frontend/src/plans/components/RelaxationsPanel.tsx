import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { groupRelaxations, type Relaxation, type RelaxationGroup } from '../relaxations';

const SHOWN = 20;

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
    <Flex vertical gap={16} data-testid="relaxations-panel">
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
          <GroupItems group={group} />
        </Card>
      ))}
    </Flex>
  );
}

/** A family's sentences; long lists show the first ones until asked for all. */
function GroupItems({ group }: { group: RelaxationGroup }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const shown = all ? group.items : group.items.slice(0, SHOWN);
  return (
    <Flex vertical gap={10}>
      {shown.map((r, i) => (
        <Flex vertical gap={2} key={i} data-testid="relaxation-item">
          <Typography.Text data-testid="relaxation-situation">{r.situation}</Typography.Text>
          <Typography.Text type="secondary" data-testid="relaxation-action">
            {t('plans.relaxations.suggestion')} {r.action}
          </Typography.Text>
        </Flex>
      ))}
      {shown.length < group.items.length && (
        <Button type="link" size="small" style={{ alignSelf: 'flex-start', padding: 0 }} onClick={() => setAll(true)} data-testid="relaxations-more">
          {t('plans.relaxations.showAll', { count: group.items.length })}
        </Button>
      )}
    </Flex>
  );
}
