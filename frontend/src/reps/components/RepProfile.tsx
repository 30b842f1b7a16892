import { Badge, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RepDetailsQuery } from '../../gql/graphql';

type Rep = NonNullable<RepDetailsQuery['rep']>;

export function RepProfile({ rep }: { rep: Rep }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="rep-profile" bordered>
      <Descriptions.Item label={t('reps.externalId')}>{rep.externalId}</Descriptions.Item>
      <Descriptions.Item label={t('reps.rank')}>
        <Tag color="geekblue">{`${rep.rank.code} · ${rep.rank.name}`}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('rep.status')}>
        {rep.leaveDate ? <Badge status="default" text={t('rep.left')} /> : <Badge status="success" text={t('rep.active')} />}
      </Descriptions.Item>
      <Descriptions.Item label={t('reps.team')}>
        <Link to={`/org/${encodeURIComponent(rep.team.id)}`}>{rep.team.name}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t('reps.region')}>{rep.region?.name ?? t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('reps.territory')}>{rep.territory || t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('reps.hireDate')}>{rep.hireDate}</Descriptions.Item>
      <Descriptions.Item label={t('reps.tenure')}>{t('reps.tenureMonths', { count: rep.tenureMonths })}</Descriptions.Item>
      <Descriptions.Item label={t('reps.leaveDate')}>{rep.leaveDate ?? t('common.none')}</Descriptions.Item>
    </Descriptions>
  );
}
