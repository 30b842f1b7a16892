import { useState } from 'react';
import { App, Button, Card, Checkbox, Descriptions, Empty, Input, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { UploadFile } from 'antd';
import { useClient, useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { commitImportMutation, dryRunImportMutation, setImportMappingMutation, uploadImportMutation } from '../mutations';
import { exportFileQuery, fileSuggestionsQuery, importKindsQuery, importRunsQuery } from '../queries';
import { uploadMutation } from '../upload';
import { downloadBase64 } from '../download';
import { MappingCard } from '../components/MappingCard';
import { IssuesTable } from '../components/IssuesTable';
import { ImportProgressBar } from '../components/ImportProgressBar';
import type { ImportKind, ImportRunFieldsFragment } from '../../gql/graphql';
import { fileMapping, mappingInput, withValue, type FileMapping } from '../mappingState';
import { RunFailure, RunTotals } from '../components/RunOutcome';

type ImportFileInfo = ImportRunFieldsFragment['files'][number];

function countsText(counts: unknown, label: (key: string) => string): string {
  if (!counts || typeof counts !== 'object') return '';
  return Object.entries(counts as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${label(k)}: ${String(v)}`)
    .join(' · ');
}

const EMPTY_MAPPING: FileMapping = { columns: {}, constants: {}, dateFormats: {} };

export default function ImportView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const client = useClient();
  const [source, setSource] = useState('crm');
  const [fileList, setFileList] = useState<UploadFile[]>([]);
  const [uploading, setUploading] = useState(false);
  const [run, setRun] = useState<ImportRunFieldsFragment | null>(null);
  const [kinds, setKinds] = useState<Record<string, ImportKind | null>>({});
  const [mappings, setMappings] = useState<Record<string, FileMapping>>({});
  const [questions, setQuestions] = useState<Record<string, readonly string[]>>({});
  const [savingFile, setSavingFile] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<string[]>([]);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [stage, setStage] = useState<'upload' | 'mapping' | 'report' | 'done'>('upload');
  const [{ data: kindsData }] = useQuery({ query: importKindsQuery });
  const [historyPage, setHistoryPage] = useState(1);
  const [{ data: runsData, fetching: runsFetching, error: runsError }, refetchRuns] = useQuery({
    query: importRunsQuery,
    variables: { offset: (historyPage - 1) * 10, limit: 11 },
    requestPolicy: 'network-only',
  });
  const [, setMapping] = useMutation(setImportMappingMutation);
  const [dryState, dryRun] = useMutation(dryRunImportMutation);
  const [commitState, commit] = useMutation(commitImportMutation);
  const importKinds = kindsData?.importKinds ?? [];

  function adopt(next: ImportRunFieldsFragment) {
    setRun(next);
    setKinds(Object.fromEntries(next.files.map((f) => [f.id, f.kind ?? null])));
    setMappings(Object.fromEntries(next.files.map((f) => [f.id, fileMapping(f)])));
    setQuestions(Object.fromEntries(next.files.map((f) => [f.id, f.questions])));
    setAccepted(next.proposals.filter((p) => p.accepted).map((p) => p.id));
  }

  async function onUpload() {
    setErrors([]);
    setUploading(true);
    try {
      const files = fileList.map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f);
      const result = await uploadMutation(uploadImportMutation, { input: { source, files } });
      if (result.errors?.length) {
        setErrors(result.errors.map((e) => ({ code: 'INVALID', message: e.message })));
        return;
      }
      const payload = result.data?.uploadImport;
      if (!payload) return;
      if (payload.errors.length || !payload.run) {
        setErrors(payload.errors);
        return;
      }
      adopt(payload.run);
      setStage('mapping');
    } finally {
      setUploading(false);
    }
  }

  /** The suggested columns of a kind; a new kind starts without constants or date formats. */
  async function suggest(fileId: string, kind: ImportKind | null, kindChanged: boolean) {
    if (!run) return;
    const result = await client.query(fileSuggestionsQuery, { id: run.id, kind }, { requestPolicy: 'network-only' }).toPromise();
    const file = result.data?.importRun?.files.find((f) => f.id === fileId);
    if (!file) return;
    const columns = Object.fromEntries(file.suggestions.map((s) => [s.field, s.column]));
    setMappings((prev) => ({
      ...prev,
      [fileId]: kindChanged ? { ...EMPTY_MAPPING, columns } : { ...(prev[fileId] ?? EMPTY_MAPPING), columns },
    }));
  }

  function edit(fileId: string, change: (m: FileMapping) => FileMapping) {
    setMappings((prev) => ({ ...prev, [fileId]: change(prev[fileId] ?? EMPTY_MAPPING) }));
  }

  /** Save one file's kind and mapping (setImportMapping); false with the errors shown if refused. */
  async function save(file: ImportFileInfo, kind: ImportKind, mapping: FileMapping): Promise<boolean> {
    if (!run) return false;
    const result = await setMapping({ input: mappingInput(run.id, file.id, kind, mapping) });
    const payload = result.data?.setImportMapping;
    const errs = payload?.errors ?? (result.error ? [{ code: 'INVALID', message: result.error.message }] : []);
    if (errs.length) {
      setErrors(errs.map((e) => ({ ...e, message: `${file.fileName}: ${e.message}` })));
      return false;
    }
    if (payload?.file) setQuestions((prev) => ({ ...prev, [file.id]: payload.file!.questions }));
    return true;
  }

  /** Answer a question of a file's mapping (the date format of a field) and save it at once. */
  async function answer(file: ImportFileInfo, field: string, format: string) {
    const kind = kinds[file.id];
    if (!kind) return;
    const current = mappings[file.id] ?? EMPTY_MAPPING;
    const next = { ...current, dateFormats: withValue(current.dateFormats, field, format) };
    setMappings((prev) => ({ ...prev, [file.id]: next }));
    setErrors([]);
    setSavingFile(file.id);
    try {
      if (await save(file, kind, next)) message.success(t('imports.answerSaved'));
    } finally {
      setSavingFile(null);
    }
  }

  async function onDryRun() {
    if (!run) return;
    setErrors([]);
    for (const file of run.files) {
      const kind = kinds[file.id];
      if (!kind) continue;
      if (!(await save(file, kind, mappings[file.id] ?? EMPTY_MAPPING))) return;
    }
    const result = await dryRun({ input: { runId: run.id, acceptedFixes: accepted } });
    const payload = result.data?.dryRunImport;
    if (!payload) {
      if (result.error) setErrors([{ code: 'INVALID', message: result.error.message }]);
      return;
    }
    if (payload.run?.status === 'failed') {
      // Its reason is shown with the report (no row usable, the questions to answer first).
      adopt(payload.run);
      setStage('report');
      return;
    }
    if (payload.errors.length || !payload.run) {
      setErrors(payload.errors);
      return;
    }
    adopt(payload.run);
    setAccepted(payload.run.proposals.map((p) => p.id).filter((id) => accepted.includes(id) || payload.run!.proposals.find((p) => p.id === id)?.accepted));
    setStage('report');
  }

  async function onCommit() {
    if (!run) return;
    setErrors([]);
    const result = await commit({ input: { runId: run.id, acceptedFixes: accepted } });
    const payload = result.data?.commitImport;
    if (!payload) return;
    if (payload.errors.length || !payload.run) {
      setErrors(payload.errors);
      return;
    }
    adopt(payload.run);
    setStage('done');
    message.success(t('imports.committed'));
    refetchRuns({ requestPolicy: 'network-only' });
  }

  async function exportReport(runId: string) {
    const result = await client.query(exportFileQuery, { what: 'IMPORT_REPORT', format: 'CSV', runId }, { requestPolicy: 'network-only' }).toPromise();
    const file = result.data?.exportFile;
    if (file) downloadBase64(file.fileName, file.contentType, file.base64);
    else message.error(t('common.loadError'));
  }

  function restart() {
    setRun(null);
    setFileList([]);
    setErrors([]);
    setStage('upload');
  }

  const current = { upload: 0, mapping: 1, report: 2, done: 3 }[stage];
  const runs = runsData?.importRuns ?? [];
  return (
    <>
      <PageHeader title={t('imports.title')} testId="imports-title" />
      <Steps
        current={current}
        style={{ marginBottom: 16 }}
        items={[{ title: t('imports.stepUpload') }, { title: t('imports.stepMapping') }, { title: t('imports.stepReport') }, { title: t('imports.stepCommit') }]}
      />
      <PayloadErrorAlert errors={errors} />
      {stage === 'upload' && can(me, 'import_data') && (
        <Card>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Typography.Text>{t('imports.source')}</Typography.Text>
              <Input data-testid="import-source" value={source} onChange={(e) => setSource(e.target.value)} style={{ width: 220 }} />
            </Space>
            <Upload.Dragger
              data-testid="import-files"
              multiple
              accept=".csv,.xlsx,.txt"
              fileList={fileList}
              beforeUpload={() => false}
              onChange={({ fileList: next }) => setFileList(next)}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.drop')}</p>
              <p className="ant-upload-hint">{t('imports.dropHint')}</p>
            </Upload.Dragger>
            <Button type="primary" data-testid="import-upload" disabled={!fileList.length || !source.trim()} loading={uploading} onClick={onUpload}>
              {t('imports.upload')}
            </Button>
          </Space>
        </Card>
      )}
      {stage === 'mapping' && run && (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {run.files.map((file) => (
            <MappingCard
              key={file.id}
              file={file}
              kinds={importKinds}
              kind={kinds[file.id] ?? null}
              mapping={mappings[file.id] ?? EMPTY_MAPPING}
              questions={kinds[file.id] === file.kind ? (questions[file.id] ?? []) : []}
              saving={savingFile === file.id}
              onKind={(kind) => {
                setKinds((prev) => ({ ...prev, [file.id]: kind }));
                void suggest(file.id, kind, true);
              }}
              onMap={(field, column) => edit(file.id, (m) => ({ ...m, columns: withValue(m.columns, field, column) }))}
              onConstant={(field, value) => edit(file.id, (m) => ({ ...m, constants: { ...m.constants, [field]: value } }))}
              onDateFormat={(field, format) => edit(file.id, (m) => ({ ...m, dateFormats: withValue(m.dateFormats, field, format) }))}
              onAnswer={(field, format) => void answer(file, field, format)}
              onSuggest={() => void suggest(file.id, kinds[file.id] ?? null, false)}
            />
          ))}
          {dryState.fetching && run && <ImportProgressBar runId={run.id} />}
          <Space>
            <Button type="primary" data-testid="import-dry-run" loading={dryState.fetching} onClick={onDryRun}>
              {t('imports.dryRun')}
            </Button>
            <Button onClick={restart}>{t('common.cancel')}</Button>
          </Space>
        </Space>
      )}
      {(stage === 'report' || stage === 'done') && run && (
        <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="import-report">
          <Card size="small">
            <Space size={32} wrap>
              <Statistic title={t('imports.status')} value={t(`imports.statuses.${run.status}` as 'imports.statuses.committed', { defaultValue: run.status })} valueRender={(n) => <span data-testid="import-run-status">{n}</span>} />
              <Statistic title={t('imports.issues')} value={run.issueCount} valueRender={(n) => <span data-testid="import-issue-count">{n}</span>} />
              <Statistic title={t('imports.proposals')} value={run.proposals.length} />
            </Space>
            {run.status !== 'failed' && run.message && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {run.message}
              </Typography.Paragraph>
            )}
          </Card>
          <RunFailure run={run} />
          <RunTotals counts={run.counts} />
          <Card size="small" title={t('imports.changes')}>
            <Table
              data-testid="import-entities"
              size="small"
              rowKey="entity"
              pagination={false}
              dataSource={run.entities}
              columns={[
                { title: t('imports.entity'), dataIndex: 'entity' },
                { title: t('imports.created'), dataIndex: 'created', align: 'right' },
                { title: t('imports.updated'), dataIndex: 'updated', align: 'right' },
                { title: t('imports.unchanged'), dataIndex: 'unchanged', align: 'right' },
              ]}
            />
          </Card>
          {run.proposals.length > 0 && (
            <Card
              size="small"
              title={t('imports.proposals')}
              extra={
                stage === 'report' && (
                  <Checkbox
                    checked={accepted.length === run.proposals.length}
                    indeterminate={accepted.length > 0 && accepted.length < run.proposals.length}
                    onChange={(e) => setAccepted(e.target.checked ? run.proposals.map((p) => p.id) : [])}
                    data-testid="proposals-all"
                  >
                    {t('imports.acceptAll')}
                  </Checkbox>
                )
              }
            >
              <Table
                data-testid="import-proposals"
                size="small"
                scroll={{ x: 'max-content' }}
                rowKey="id"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={run.proposals}
                rowSelection={
                  stage === 'report'
                    ? { selectedRowKeys: accepted, onChange: (keys) => setAccepted(keys.map(String)) }
                    : undefined
                }
                columns={[
                  { title: t('imports.file'), dataIndex: 'file', ellipsis: true },
                  { title: t('imports.field'), dataIndex: 'field' },
                  { title: t('imports.value'), dataIndex: 'value' },
                  { title: t('imports.replacement'), dataIndex: 'replacement', render: (r: string) => <Tag color="green">{r}</Tag> },
                  { title: t('imports.rows'), dataIndex: 'rows', align: 'right' },
                  { title: t('imports.score'), dataIndex: 'score', render: (s: number) => `${Math.round(s)}%` },
                  { title: t('imports.reason'), dataIndex: 'reason', ellipsis: true },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t('imports.report')} extra={<Button size="small" icon={<DownloadOutlined />} onClick={() => exportReport(run.id)}>{t('imports.exportReport')}</Button>}>
            <IssuesTable key={`${run.id}-${run.status}`} runId={run.id} />
          </Card>
          {(dryState.fetching || commitState.fetching) && <ImportProgressBar runId={run.id} />}
          <Space>
            {stage === 'report' && (
              <>
                <Button data-testid="import-back-to-mapping" onClick={() => setStage('mapping')}>
                  {t('imports.backToMapping')}
                </Button>
                <Button onClick={onDryRun} loading={dryState.fetching}>{t('imports.dryRunAgain')}</Button>
                {run.status !== 'failed' && (
                  <Button type="primary" data-testid="import-commit" loading={commitState.fetching} onClick={onCommit}>
                    {t('imports.commit')}
                  </Button>
                )}
              </>
            )}
            {stage === 'done' && (
              <Button type="primary" data-testid="import-new" onClick={restart}>
                {t('imports.newImport')}
              </Button>
            )}
          </Space>
        </Space>
      )}
      <Card size="small" title={t('imports.history')} style={{ marginTop: 24 }}>
        <QueryState fetching={runsFetching} error={runsError} hasData={!!runsData}>
          {runs.length === 0 ? (
            <Empty />
          ) : (
            <Table
              data-testid="import-history"
              size="small"
              style={{ overflowX: 'auto' }}
              rowKey="id"
              dataSource={runs.slice(0, 10)}
              pagination={{ current: historyPage, pageSize: 10, total: (historyPage - 1) * 10 + runs.length, onChange: setHistoryPage, showSizeChanger: false }}
              expandable={{
                expandedRowRender: (r) => (
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('imports.files')}>{r.files.map((f) => f.fileName).join(', ')}</Descriptions.Item>
                    <Descriptions.Item label={t('imports.changes')}>
                      {r.entities.map((e) => `${e.entity}: +${e.created} ~${e.updated} =${e.unchanged}`).join(' · ') || '—'}
                    </Descriptions.Item>
                    {r.message && <Descriptions.Item label={t('imports.message')}>{r.message}</Descriptions.Item>}
                  </Descriptions>
                ),
              }}
              columns={[
                { title: '#', dataIndex: 'id', width: 60 },
                { title: t('imports.source'), dataIndex: 'source' },
                {
                  title: t('imports.status'),
                  dataIndex: 'status',
                  render: (s: string) => (
                    <Tag color={s === 'committed' ? 'green' : s === 'failed' ? 'red' : 'default'} data-testid="history-status">
                      {t(`imports.statuses.${s}` as 'imports.statuses.committed', { defaultValue: s })}
                    </Tag>
                  ),
                },
                {
                  title: t('imports.changes'),
                  key: 'changes',
                  render: (_, r) => (
                    <span data-testid="history-changes">
                      {t('imports.changeSummary', {
                        created: r.entities.reduce((s, e) => s + e.created, 0),
                        updated: r.entities.reduce((s, e) => s + e.updated, 0),
                        unchanged: r.entities.reduce((s, e) => s + e.unchanged, 0),
                      })}
                    </span>
                  ),
                },
                { title: t('imports.issues'), dataIndex: 'issueCount', align: 'right' },
                { title: t('imports.counts'), dataIndex: 'counts', ellipsis: true, render: (c: unknown) => countsText(c, (k) => t(`imports.countNames.${k}` as 'imports.countNames.rows', { defaultValue: k })) },
                { title: t('imports.actor'), dataIndex: 'actor' },
                { title: t('imports.when'), dataIndex: 'createdAt', render: (d: string) => new Date(d).toLocaleString() },
                {
                  title: '',
                  key: 'export',
                  render: (_, r) => (
                    <Button size="small" icon={<DownloadOutlined />} data-testid="history-export" onClick={() => exportReport(r.id)}>
                      {t('imports.exportReport')}
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
    </>
  );
}
