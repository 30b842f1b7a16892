import type { HTMLAttributes } from 'react';
import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import type { RepSortField } from '../../gql/graphql';
import type { SortState } from '../urlState';
import type { RepRow } from '../hooks/useRepPages';

interface Props {
  rows: RepRow[];
  loading: boolean;
  sort?: SortState;
  onSortChange?: (sort: SortState | undefined) => void;
  onOpen: (repId: string) => void;
  testId?: string;
  /** Fewer columns, for narrow panels. */
  compact?: boolean;
}

const SORT_FIELDS: Record<string, RepSortField> = {
  externalId: 'EXTERNAL_ID',
  name: 'NAME',
  team: 'TEAM',
  rank: 'RANK',
  hireDate: 'HIRE_DATE',
};

/** Renders one page of reps; sorting is done by the server. */
export function RepTable({ rows, loading, sort, onSortChange, onOpen, testId = 'rep-table', compact = false }: Props) {
  const { t } = useTranslation();
  const sortable = !!onSortChange;
  const orderOf = (key: string): SortOrder =>
    sort && SORT_FIELDS[key] === sort.field ? (sort.direction === 'DESC' ? 'descend' : 'ascend') : null;
  const sorter = (key: string): { sorter?: boolean; sortOrder?: SortOrder; showSorterTooltip?: boolean } =>
    sortable ? { sorter: true, sortOrder: orderOf(key), showSorterTooltip: false } : {};

  const columns: TableColumnsType<RepRow> = [
    {
      key: 'externalId',
      title: t('reps.externalId'),
      dataIndex: 'externalId',
      width: 120,
      render: (value: string) => <Typography.Text className="tabular">{value}</Typography.Text>,
      ...sorter('externalId'),
    },
    {
      key: 'name',
      title: t('reps.name'),
      dataIndex: 'name',
      render: (name: string, rep) => (
        <>
          <Typography.Link data-testid="rep-name-link" onClick={() => onOpen(rep.id)}>{name}</Typography.Link>
          {rep.leaveDate && <Tag style={{ marginLeft: 8 }}>{t('rep.left')}</Tag>}
        </>
      ),
      ...sorter('name'),
    },
    { key: 'team', title: t('reps.team'), width: 190, ellipsis: true, render: (_, rep) => rep.team.name, ...sorter('team') },
    {
      key: 'rank',
      title: t('reps.rank'),
      width: 220,
      render: (_, rep) => <Tag color="geekblue">{`${rep.rank.code} · ${rep.rank.name}`}</Tag>,
      ...sorter('rank'),
    },
    { key: 'region', title: t('reps.region'), width: 120, render: (_, rep) => rep.region?.name ?? t('common.none') },
    { key: 'territory', title: t('reps.territory'), dataIndex: 'territory', ellipsis: true },
    { key: 'hireDate', title: t('reps.hireDate'), dataIndex: 'hireDate', width: 120, ...sorter('hireDate') },
    {
      key: 'tenure',
      title: t('reps.tenure'),
      dataIndex: 'tenureMonths',
      width: 100,
      align: 'right',
      render: (months: number) => t('reps.tenureMonths', { count: months }),
    },
  ];

  const handleChange: TableProps<RepRow>['onChange'] = (_pagination, _filters, sorterResult) => {
    if (!onSortChange) return;
    const s = (Array.isArray(sorterResult) ? sorterResult[0] : sorterResult) as SorterResult<RepRow> | undefined;
    const field = s?.columnKey ? SORT_FIELDS[String(s.columnKey)] : undefined;
    if (!field || !s?.order) onSortChange(undefined);
    else onSortChange({ field, direction: s.order === 'descend' ? 'DESC' : 'ASC' });
  };

  return (
    <Table<RepRow>
      data-testid={testId}
      rowKey="id"
      size="small"
      loading={loading}
      columns={compact ? columns.filter((c) => c.key !== 'territory' && c.key !== 'hireDate') : columns}
      dataSource={rows}
      pagination={false}
      onChange={handleChange}
      scroll={{ x: compact ? 860 : 1120 }}
      locale={{ emptyText: t('reps.empty') }}
      onRow={(rep) => ({ 'data-testid': `rep-row-${rep.externalId}` } as HTMLAttributes<HTMLElement>)}
    />
  );
}
