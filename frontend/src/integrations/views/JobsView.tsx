import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Empty, Flex, Segmented, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import type { JobFieldsFragment, JobState } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { jobsQuery } from '../queries';
import { retryJobMutation } from '../mutations';
import { JOB_STATES, JOB_STATE_COLORS, jobKindLabel } from '../format';

const PAGE_SIZE = 25;

/** The job queue: jobs by state, why the last attempt failed, and retrying dead ones. */
export default function JobsView() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const [state, setState] = useState<JobState | 'ALL'>('ALL');
  const [page, setPage] = useState(1);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: jobsQuery,
    variables: { state: state === 'ALL' ? null : state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
  });
  const [, retry] = useMutation(retryJobMutation);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const onRetry = async (job: JobFieldsFragment) => {
    const result = await retry({ input: { jobId: job.id } });
    const errors = result.data?.retryJob.errors ?? [];
    if (result.error || errors.length) void message.error(errors.map((e) => e.message).join('; ') || t('common.loadError'));
    else void message.success(t('jobs.retried'));
    reload();
  };

  return (
    <div data-testid="page-jobs">
      <PageHeader
        title={t('jobs.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload} data-testid="jobs-refresh">
            {t('jobs.refresh')}
          </Button>
        }
      />
      <Card>
        <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
          <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
            <Segmented
              data-testid="jobs-state-filter"
              value={state}
              onChange={(value) => {
                setState(value as JobState | 'ALL');
                setPage(1);
              }}
              options={[{ value: 'ALL', label: t('jobs.allStates') }, ...JOB_STATES.map((s) => ({ value: s, label: t(`jobs.states.${s}`) }))]}
            />
          </div>
          {data && <Typography.Text type="secondary">{t('jobs.counts', { count: data.jobs.totalCount })}</Typography.Text>}
        </Flex>
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          <Table<JobFieldsFragment>
            data-testid="jobs-table"
            rowKey="id"
            scroll={{ x: 'max-content' }}
            size="small"
            loading={fetching}
            dataSource={data?.jobs.items ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('jobs.empty')} /> }}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.jobs.totalCount ?? 0, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
            onRow={(job) => ({ 'data-testid': `job-${job.id}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: t('jobs.kind'), render: (_, job) => jobKindLabel(job.kind, t) },
              {
                title: t('jobs.state'),
                render: (_, job) => (
                  <Tooltip title={t(`jobs.stateHelp.${job.state}`)}>
                    <Tag color={JOB_STATE_COLORS[job.state]} data-testid="job-state">
                      {t(`jobs.states.${job.state}`)}
                    </Tag>
                  </Tooltip>
                ),
              },
              { title: t('jobs.attempts'), render: (_, job) => t('jobs.attemptsOf', { attempts: job.attempts, max: job.maxAttempts }) },
              { title: t('jobs.createdAt'), render: (_, job) => fmt.dateTime(job.createdAt) },
              { title: t('jobs.runAfter'), render: (_, job) => (job.state === 'QUEUED' ? fmt.relative(job.runAfter) : t('common.none')) },
              { title: t('jobs.finishedAt'), render: (_, job) => fmt.dateTime(job.finishedAt) },
              {
                title: t('jobs.lastError'),
                render: (_, job) =>
                  job.lastError ? (
                    <Typography.Text type="danger" ellipsis={{ tooltip: job.lastError }} style={{ maxWidth: 280 }}>
                      {job.lastError}
                    </Typography.Text>
                  ) : (
                    t('common.none')
                  ),
              },
              {
                title: '',
                key: 'retry',
                render: (_, job) =>
                  (job.state === 'DEAD' || job.state === 'FAILED') && (
                    <Button size="small" onClick={() => onRetry(job)} data-testid="job-retry">
                      {t('jobs.retry')}
                    </Button>
                  ),
              },
            ]}
          />
        </QueryState>
      </Card>
    </div>
  );
}
