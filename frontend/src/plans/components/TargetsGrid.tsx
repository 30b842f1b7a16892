import { useMemo, useState } from 'react';
import { Button, Input, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, EditOutlined, InfoCircleOutlined, LockOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GridRow } from '../gridData';
import { rowFlags } from '../gridData';
import { formatAmount, formatProbability, probabilityColor } from '../format';

export interface EditState {
  repId: string;
  value: number;
  probability: number | null;
  checking: boolean;
}

interface Props {
  rows: GridRow[];
  months: string[];
  editable: boolean;
  editing: EditState | null;
  saving: boolean;
  teamNames: Map<string, string>;
  /** Validation flags from the API per rep (loaded in the background). */
  apiFlags: Map<string, string[]>;
  onStartEdit: (row: GridRow) => void;
  onChangeDraft: (value: number) => void;
  onSave: () => void;
  onCancel: () => void;
  onExplain: (row: GridRow) => void;
}

function monthLabel(month: string): string {
  return month.slice(0, 7);
}

/** The targets grid: virtual rows (thousands stay smooth), inline edit of a rep's period total. */
export function TargetsGrid({ rows, months, editable, editing, saving, teamNames, apiFlags, onStartEdit, onChangeDraft, onSave, onCancel, onExplain }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');

  const filtered = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q ? rows.filter((r) => r.repName.toLowerCase().includes(q) || r.rankCode.toLowerCase() === q) : rows;
  }, [rows, search]);

  const columns: TableColumnsType<GridRow> = [
    {
      title: t('plans.rep'),
      dataIndex: 'repName',
      width: 180,
      fixed: 'left',
      sorter: (a, b) => a.repName.localeCompare(b.repName),
      render: (name: string) => (
        <Typography.Text ellipsis data-testid="grid-rep-name">
          {name}
        </Typography.Text>
      ),
    },
    { title: t('plans.rank'), dataIndex: 'rankCode', width: 70, sorter: (a, b) => a.rankCode.localeCompare(b.rankCode) },
    {
      title: t('plans.team'),
      dataIndex: 'teamId',
      width: 140,
      render: (teamId: string) => <Typography.Text ellipsis>{teamNames.get(teamId) ?? teamId}</Typography.Text>,
    },
    {
      title: t('plans.periodTarget'),
      dataIndex: 'total',
      width: 230,
      sorter: (a, b) => a.total - b.total,
      render: (total: number, row) => {
        if (editing?.repId === row.repId) {
          return (
            <Space size={4}>
              <InputNumber
                autoFocus
                size="small"
                data-testid="target-input"
                value={editing.value}
                min={0}
                style={{ width: 120 }}
                onChange={(v) => onChangeDraft(Number(v ?? 0))}
                onPressEnter={onSave}
                onKeyDown={(e) => e.key === 'Escape' && onCancel()}
              />
              <Button size="small" type="primary" icon={<CheckOutlined />} loading={saving} onClick={onSave} data-testid="target-save" aria-label={t('common.save')} />
              <Button size="small" icon={<CloseOutlined />} onClick={onCancel} aria-label={t('common.cancel')} />
            </Space>
          );
        }
        return (
          <Space size={4}>
            <span data-testid="grid-total">{formatAmount(total)}</span>
            {editable && (
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                data-testid="target-edit"
                aria-label={t('common.edit')}
                onClick={() => onStartEdit(row)}
              />
            )}
          </Space>
        );
      },
    },
    {
      title: <Tooltip title={t('plans.periodProbabilityHelp')}>{t('plans.periodProbability')}</Tooltip>,
      dataIndex: 'probability',
      width: 130,
      sorter: (a, b) => (a.probability ?? -1) - (b.probability ?? -1),
      render: (p: number | null, row) => {
        const live = editing?.repId === row.repId ? editing : null;
        const shown = live ? live.probability : p;
        return (
          <Tooltip title={live ? t('plans.liveProbabilityHelp') : undefined}>
            <Tag color={probabilityColor(shown)} data-testid={live ? 'live-probability' : 'grid-probability'}>
              {live?.checking && live.probability === null ? '…' : formatProbability(shown)}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      title: t('plans.flags'),
      key: 'flags',
      width: 220,
      render: (_, row) => (
        <Space size={2} wrap>
          {(apiFlags.get(row.repId) ?? []).map((flag) => (
            <Tag key={`api-${flag}`} color="volcano" data-testid="flag-api">
              {t(`plans.apiFlag.${flag}` as 'plans.apiFlag.vs_history', { defaultValue: flag })}
            </Tag>
          ))}
          {rowFlags(row).map((flag) => (
            <Tag key={flag} color={flag === 'locked' ? 'gold' : flag === 'hard' ? 'red' : flag === 'easy' ? 'blue' : 'default'} icon={flag === 'locked' ? <LockOutlined /> : undefined} data-testid={`flag-${flag}`}>
              {t(`plans.flag.${flag}` as 'plans.flag.locked')}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('plans.suggested'), dataIndex: 'suggestedTotal', width: 110, align: 'right', render: formatAmount },
    ...months.map((month, m) => ({
      title: monthLabel(month),
      key: month,
      width: 100,
      align: 'right' as const,
      render: (_: unknown, row: GridRow) => (
        <Tooltip title={t('plans.monthProbability')}>
          <span data-testid="grid-month">
            {formatAmount(row.months[m])}
            <Typography.Text type="secondary" style={{ fontSize: 11, marginLeft: 4 }} data-testid="grid-month-probability">
              {formatProbability(row.monthProbabilities[m])}
            </Typography.Text>
          </span>
        </Tooltip>
      ),
    })),
    {
      title: '',
      key: 'explain',
      width: 50,
      fixed: 'right',
      render: (_, row) => (
        <Tooltip title={t('plans.explain')}>
          <Button size="small" type="text" icon={<InfoCircleOutlined />} data-testid="target-explain" onClick={() => onExplain(row)} />
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Input allowClear data-testid="grid-search" style={{ width: 220 }} value={search} placeholder={t('plans.searchReps')} onChange={(e) => setSearch(e.target.value)} />
        <Typography.Text type="secondary" data-testid="grid-count">
          {t('plans.repCount', { count: filtered.length })}
        </Typography.Text>
      </Space>
      <Table<GridRow>
        data-testid="targets-grid"
        virtual
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={filtered}
        pagination={false}
        scroll={{ x: 1100 + months.length * 100, y: 520 }}
        rowClassName={(row) => (row.repId === editing?.repId ? 'grid-row-editing' : '')}
      />
    </>
  );
}
