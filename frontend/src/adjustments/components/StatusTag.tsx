import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdjustmentStatus } from '../../gql/graphql';
import { STATUS_COLORS } from '../permissions';

export function StatusTag({ status }: { status: AdjustmentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="adjustment-status">
      {t(`adjustments.statuses.${status}`)}
    </Tag>
  );
}
