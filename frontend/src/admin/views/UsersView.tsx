import { useMemo, useState } from 'react';
import { App, Button, Form, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { can } from '../../auth/session';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import { applyPayloadErrors } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { usersQuery } from '../queries';
import { changeUserRoleMutation, createUserMutation } from '../mutations';
import { UserFormModal, type UserFormValues } from '../components/UserFormModal';
import type { UserFieldsFragment } from '../../gql/graphql';

const FIELDS = ['username', 'displayName', 'password', 'role', 'scopeOrgId', 'repId'];

export default function UsersView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [{ data, fetching, error }, refetch] = useQuery({ query: usersQuery });
  const treeData = useMemo(() => toAntTree(buildOrgTree(data?.orgUnits ?? [])), [data]);
  const unitNames = useMemo(() => new Map((data?.orgUnits ?? []).map((u) => [u.id, u.name])), [data]);
  const [form] = Form.useForm<UserFormValues>();
  const [mode, setMode] = useState<'create' | 'change' | null>(null);
  const [target, setTarget] = useState<UserFieldsFragment | null>(null);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [createState, createUser] = useMutation(createUserMutation);
  const [changeState, changeRole] = useMutation(changeUserRoleMutation);
  const manage = can(me, 'manage_users');

  function open(next: 'create' | 'change', user?: UserFieldsFragment) {
    setErrors([]);
    setTarget(user ?? null);
    form.resetFields();
    form.setFieldsValue(user ? { role: user.role, scopeOrgId: user.scopeOrgId, repId: user.repId } : { role: 'team_lead' });
    setMode(next);
  }

  async function submit(values: UserFormValues) {
    setErrors([]);
    if (mode === 'create') {
      const result = await createUser({
        input: {
          username: values.username ?? '',
          password: values.password ?? '',
          displayName: values.displayName ?? '',
          role: values.role,
          scopeOrgId: values.scopeOrgId ?? null,
          repId: values.role === 'rep' ? (values.repId ?? null) : null,
        },
      });
      const payload = result.data?.createUser;
      if (!payload) return;
      if (payload.errors.length) {
        setErrors(applyPayloadErrors(form, payload.errors, FIELDS));
        return;
      }
      message.success(t('admin.userCreated'));
    } else if (target) {
      const result = await changeRole({
        input: {
          userId: target.id,
          expectedVersion: target.version,
          role: values.role,
          scopeOrgId: values.scopeOrgId ?? null,
          repId: values.role === 'rep' ? (values.repId ?? null) : null,
        },
      });
      const payload = result.data?.changeUserRole;
      if (!payload) return;
      if (payload.errors.length) {
        setErrors(applyPayloadErrors(form, payload.errors, FIELDS));
        return;
      }
      message.success(t('admin.roleChanged'));
    }
    setMode(null);
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <>
      <PageHeader
        title={t('admin.users')}
        testId="users-title"
        extra={
          manage && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="user-new" onClick={() => open('create')}>
              {t('admin.newUser')}
            </Button>
          )
        }
      />
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<UserFieldsFragment>
          data-testid="users-table"
          rowKey="id"
          size="middle"
          dataSource={data?.users ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('admin.username'), dataIndex: 'username' },
            { title: t('admin.displayName'), dataIndex: 'displayName' },
            { title: t('admin.role'), dataIndex: 'role', render: (r: string) => <Tag>{t(`auth.roles.${r}` as 'auth.roles.admin', { defaultValue: r })}</Tag> },
            { title: t('admin.scope'), dataIndex: 'scopeOrgId', render: (id: string | null) => (id ? (unitNames.get(id) ?? id) : t('auth.wholeCompany')) },
            { title: t('admin.rep'), dataIndex: 'repId', render: (id: string | null) => id ?? '—' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, user) =>
                manage && (
                  <Button size="small" data-testid="user-change-role" onClick={() => open('change', user)}>
                    {t('admin.changeRole')}
                  </Button>
                ),
            },
          ]}
        />
      </QueryState>
      <UserFormModal
        open={mode !== null}
        mode={mode ?? 'create'}
        form={form}
        treeData={treeData}
        errors={errors}
        saving={createState.fetching || changeState.fetching}
        title={mode === 'change' && target ? `${t('admin.changeRole')} · ${target.username}` : t('admin.newUser')}
        onCancel={() => setMode(null)}
        onSubmit={submit}
      />
    </>
  );
}
