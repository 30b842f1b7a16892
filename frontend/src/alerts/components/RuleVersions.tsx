import type { HTMLAttributes } from 'react';
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertRuleFieldsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { ruleSummary } from '../ruleForm';
import { SeverityTag } from './AlertTags';

interface Props {
  versions: AlertRuleFieldsFragment[];
  scopeName: (id: string | null | undefined) => string;
}

/** Every version of one rule, newest first: what changed, who saved it and when. */
export function RuleVersions({ versions, scopeName }: Props) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const newest = Math.max(...versions.map((v) => v.version));
  return (
    <Table<AlertRuleFieldsFragment>
      data-testid="rule-versions"
      rowKey="id"
      scroll={{ x: 'max-content' }}
      size="small"
      pagination={false}
      dataSource={versions}
      onRow={(v) => ({ 'data-testid': `rule-version-${v.version}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('alertRules.version'),
          width: 110,
          render: (_, v) => (
            <>
              <Typography.Text strong>v{v.version}</Typography.Text>
              {v.version === newest && (
                <Tag color="green" style={{ marginLeft: 6 }}>
                  {t('alertRules.current')}
                </Tag>
              )}
            </>
          ),
        },
        { title: t('alertRules.name'), dataIndex: 'name' },
        { title: t('alertRules.thresholds'), render: (_, v) => ruleSummary(v, t, fmt) },
        { title: t('alertRules.scope'), render: (_, v) => scopeName(v.scopeOrgId) },
        { title: t('alertRules.severity'), render: (_, v) => <SeverityTag severity={v.severity} /> },
        {
          title: t('alertRules.status'),
          render: (_, v) => (v.version !== newest ? t('alertRules.retired') : v.active ? t('alertRules.enabled') : t('alertRules.disabled')),
        },
        { title: t('alertRules.createdBy'), dataIndex: 'createdBy' },
        { title: t('alertRules.createdAt'), render: (_, v) => fmt.dateTime(v.createdAt) },
      ]}
    />
  );
}
