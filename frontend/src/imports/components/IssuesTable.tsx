import { useState } from 'react';
import { Segmented, Table, Tag } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { importIssuesQuery } from '../queries';

const PAGE = 20;

/** The run's report, a page at a time from the server: row, field, problem, suggested fix. */
export function IssuesTable({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [severity, setSeverity] = useState<string>('');
  const [{ data, fetching }] = useQuery({
    query: importIssuesQuery,
    variables: { id: runId, offset: (page - 1) * PAGE, limit: PAGE, severity: severity || null },
    requestPolicy: 'network-only',
  });
  const run = data?.importRun;
  return (
    <>
      <Segmented
        style={{ marginBottom: 8 }}
        value={severity}
        onChange={(v) => {
          setSeverity(String(v));
          setPage(1);
        }}
        options={[
          { value: '', label: t('imports.all') },
          { value: 'error', label: t('imports.severity.error') },
          { value: 'warning', label: t('imports.severity.warning') },
          { value: 'info', label: t('imports.severity.info') },
        ]}
      />
      <Table
        data-testid="import-issues"
        size="small"
        loading={fetching}
        rowKey={(issue) => `${issue.file}-${issue.row}-${issue.field}-${issue.problem}-${issue.value}`}
        dataSource={run?.issues ?? []}
        pagination={{ current: page, pageSize: PAGE, total: run?.issueCount ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { count: total }) }}
        columns={[
          { title: t('imports.file'), dataIndex: 'file', width: 160, ellipsis: true },
          { title: t('imports.row'), dataIndex: 'row', width: 70, render: (r: number | null) => r ?? '—' },
          { title: t('imports.field'), dataIndex: 'field', width: 140, render: (f: string | null) => f ?? '—' },
          {
            title: t('imports.severityLabel'),
            dataIndex: 'severity',
            width: 90,
            render: (s: string) => <Tag color={s === 'error' ? 'red' : s === 'warning' ? 'orange' : 'blue'}>{t(`imports.severity.${s}` as 'imports.severity.error', { defaultValue: s })}</Tag>,
          },
          { title: t('imports.problem'), dataIndex: 'problem' },
          { title: t('imports.value'), dataIndex: 'value', ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('imports.suggestedFix'), dataIndex: 'suggestion' },
        ]}
      />
    </>
  );
}
