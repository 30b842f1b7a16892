import { useMemo, useState, type HTMLAttributes } from 'react';
import { Button, Card, Drawer, Empty, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useDrawerSize } from '../../components/useDrawerSize';
import { useLiveChanges } from '../../graphql/useLiveChanges';
import { useFormat } from '../../i18n/format';
import { alertRulesQuery } from '../queries';
import { groupRuleVersions, ruleSummary, type RuleGroup } from '../ruleForm';
import { SeverityTag } from '../components/AlertTags';
import { RuleVersions } from '../components/RuleVersions';
import { RuleFormModal } from './RuleFormModal';

/** Alert rules: the current version of each, a form per kind, every version kept (manage_alert_rules). */
export default function AlertRulesView() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [{ data, fetching, error }, refetch] = useQuery({ query: alertRulesQuery, variables: { includeRetired: true } });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  useLiveChanges('alert_rule', reload);
  const groups = useMemo(() => groupRuleVersions(data?.alertRules ?? []), [data]);
  const [editing, setEditing] = useState<{ group?: RuleGroup }>();
  const [versionsOf, setVersionsOf] = useState<string>();
  const drawerSize = useDrawerSize(880);
  const units = useMemo(() => new Map((data?.orgUnits ?? []).map((u) => [u.id, u.name])), [data]);
  const metricNames = useMemo(() => new Map((data?.metrics ?? []).map((m) => [m.code, m.name])), [data]);
  const scopeName = (id: string | null | undefined) => (id ? (units.get(id) ?? t('common.none')) : t('alertRules.wholeCompany'));
  const shownVersions = groups.find((g) => g.key === versionsOf);
  // The rule being edited as last loaded (a reload after a stale save brings its new version).
  const editedRule = editing?.group && groups.find((g) => g.key === editing.group?.key)?.current;

  return (
    <div data-testid="page-alert-rules">
      <PageHeader
        title={t('alertRules.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} data-testid="rule-new" onClick={() => setEditing({})}>
            {t('alertRules.newRule')}
          </Button>
        }
      />
      <Card>
        <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={reload}>
          <Table<RuleGroup>
            data-testid="rules-table"
            rowKey="key"
            scroll={{ x: 'max-content' }}
            size="middle"
            dataSource={groups}
            pagination={false}
            locale={{ emptyText: <Empty description={t('alertRules.empty')} /> }}
            onRow={(g) => ({ 'data-testid': `rule-row-${g.key}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('alertRules.name'),
                render: (_, g) => (
                  <>
                    <Typography.Text strong>{g.current.name}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`alertRules.kinds.${g.current.kind}`)}
                      </Typography.Text>
                    </div>
                  </>
                ),
              },
              { title: t('alertRules.thresholds'), render: (_, g) => <span data-testid="rule-summary">{ruleSummary(g.current, t, fmt)}</span> },
              { title: t('alertRules.metric'), render: (_, g) => metricNames.get(g.current.metric) ?? g.current.metric },
              { title: t('alertRules.scope'), render: (_, g) => scopeName(g.current.scopeOrgId) },
              { title: t('alertRules.severity'), render: (_, g) => <SeverityTag severity={g.current.severity} /> },
              {
                title: t('alertRules.status'),
                render: (_, g) => (
                  <Tag color={g.current.active ? 'green' : 'default'} data-testid="rule-status">
                    {g.current.active ? t('alertRules.enabled') : t('alertRules.disabled')}
                  </Tag>
                ),
              },
              { title: t('alertRules.version'), render: (_, g) => <span data-testid="rule-version">v{g.current.version}</span> },
              {
                title: t('common.actions'),
                render: (_, g) => (
                  <Space size={4}>
                    <Button size="small" icon={<EditOutlined />} data-testid="rule-edit" onClick={() => setEditing({ group: g })}>
                      {t('common.edit')}
                    </Button>
                    <Button size="small" type="text" icon={<HistoryOutlined />} data-testid="rule-versions-open" onClick={() => setVersionsOf(g.key)}>
                      {t('alertRules.versions')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
      <RuleFormModal
        open={!!editing}
        rule={editedRule}
        metrics={data?.metrics ?? []}
        orgUnits={data?.orgUnits ?? []}
        onClose={() => {
          setEditing(undefined);
          reload();
        }}
        onReload={reload}
      />
      <Drawer
        open={!!shownVersions}
        onClose={() => setVersionsOf(undefined)}
        size={drawerSize}
        title={shownVersions ? t('alertRules.versionsOf', { name: shownVersions.current.name }) : ''}
        data-testid="rule-versions-drawer"
      >
        {shownVersions && <RuleVersions versions={shownVersions.versions} scopeName={scopeName} />}
      </Drawer>
    </div>
  );
}
