import type { HTMLAttributes } from 'react';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdjustmentMoveFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { formatProbability } from '../../tracking/figures';
import { totalDelta } from '../proposal';

/** Teammates whose targets move: who (or "a teammate" when out of sight), by how much, P before → after. */
export function AbsorbersTable({ absorbers }: { absorbers: AdjustmentMoveFieldsFragment[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<AdjustmentMoveFieldsFragment>
      data-testid="absorbers-table"
      rowKey="repId"
      size="small"
      dataSource={absorbers}
      scroll={{ x: 'max-content' }}
      pagination={absorbers.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      onRow={() => ({ 'data-testid': 'absorber-row' }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('adjustments.rep'), render: (_, m) => m.rep?.name ?? <Typography.Text type="secondary">{t('adjustments.teammate')}</Typography.Text> },
        { title: t('adjustments.before'), align: 'right', render: (_, m) => fmt.amount(m.totalBefore) },
        { title: t('adjustments.proposed'), align: 'right', render: (_, m) => fmt.amount(m.totalAfter) },
        {
          title: t('adjustments.change'),
          align: 'right',
          render: (_, m) => {
            const delta = totalDelta(m);
            return <span data-testid="absorber-delta">{`${delta > 0 ? '+' : ''}${fmt.amount(delta)}`}</span>;
          },
        },
        {
          title: t('adjustments.proposal.probability'),
          render: (_, m) => <span style={{ whiteSpace: 'nowrap' }}>{t('adjustments.proposal.fromTo', { before: formatProbability(m.probabilityBefore, fmt), after: formatProbability(m.probabilityAfter, fmt) })}</span>,
        },
      ]}
    />
  );
}
