import type { HTMLAttributes } from 'react';
import { Button, Empty, Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdjustmentRequestFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { StatusTag } from './StatusTag';

interface Props {
  requests: AdjustmentRequestFieldsFragment[];
  loading?: boolean;
  emptyText: string;
  onOpen: (request: AdjustmentRequestFieldsFragment) => void;
}

/** Requests in a table that scrolls inside its card on a phone (the page never scrolls sideways). */
export function AdjustmentTable({ requests, loading, emptyText, onOpen }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Table<AdjustmentRequestFieldsFragment>
      data-testid="adjustments-table"
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={requests}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={emptyText} /> }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      onRow={(r) => ({ 'data-testid': `adjustment-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('adjustments.rep'),
          render: (_, r) => (
            <Button type="link" style={{ padding: 0 }} data-testid="adjustment-open" onClick={() => onOpen(r)}>
              {r.subjectRep?.name ?? t('adjustments.teammate')}
            </Button>
          ),
        },
        { title: t('adjustments.metric'), dataIndex: 'metric' },
        { title: t('adjustments.reason'), render: (_, r) => t(`adjustments.reasons.${r.reason}`) },
        {
          title: t('adjustments.asked'),
          align: 'right',
          render: (_, r) => (
            <span style={{ whiteSpace: 'nowrap' }} data-testid="adjustment-asked">
              <Typography.Text strong>{fmt.amount(r.proposal?.requestedTotal)}</Typography.Text> / {fmt.amount(r.proposal?.subject.totalBefore)}
            </span>
          ),
        },
        { title: t('adjustments.effectiveDate'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{fmt.date(r.effectiveDate)}</span> },
        { title: t('adjustments.status'), render: (_, r) => <StatusTag status={r.status} /> },
        { title: t('adjustments.requestedBy'), dataIndex: 'requestedBy' },
        {
          title: t('adjustments.created'),
          render: (_, r) => (
            <Tooltip title={fmt.dateTime(r.createdAt)}>
              <span style={{ whiteSpace: 'nowrap' }}>{fmt.relative(r.createdAt)}</span>
            </Tooltip>
          ),
        },
      ]}
    />
  );
}
