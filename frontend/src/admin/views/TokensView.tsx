import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { useMe } from '../../auth/MeContext';
import { buildOrgTree } from '../../orgTree/buildTree';
import { toAntTree } from '../../orgTree/components/orgTreeData';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import { apiTokensQuery } from '../queries';
import { createApiTokenMutation, revokeApiTokenMutation } from '../mutations';
import type { ApiTokenFieldsFragment } from '../../gql/graphql';

interface TokenForm {
  name: string;
  actions: string[];
  expiresInDays: number;
  scopeOrgId?: string;
}

/** Actions a token may carry: the user's own (signing in is implied). */
export function grantableActions(actions: readonly string[]): string[] {
  return actions.filter((a) => a !== 'sign_in');
}

function tokenState(token: ApiTokenFieldsFragment, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (new Date(token.expiresAt).getTime() < now) return 'expired';
  return 'active';
}

export default function TokensView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [{ data, fetching, error }, refetch] = useQuery({ query: apiTokensQuery });
  const treeData = useMemo(() => toAntTree(buildOrgTree(data?.orgUnits ?? [])), [data]);
  const [form] = Form.useForm<TokenForm>();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [createState, createToken] = useMutation(createApiTokenMutation);
  const [, revokeToken] = useMutation(revokeApiTokenMutation);
  const actions = grantableActions(me?.actions ?? []);
  const fmt = (d: string | null | undefined) => (d ? new Date(d).toLocaleString() : t('admin.never'));

  async function submit(values: TokenForm) {
    setErrors([]);
    const result = await createToken({
      input: { name: values.name, actions: values.actions, expiresInDays: values.expiresInDays, scopeOrgId: values.scopeOrgId ?? null },
    });
    const payload = result.data?.createApiToken;
    if (!payload) return;
    if (payload.errors.length || !payload.token) {
      setErrors(applyPayloadErrors(form, payload.errors, ['name', 'actions', 'expiresInDays', 'scopeOrgId']));
      return;
    }
    setOpen(false);
    setSecret(payload.token);
    refetch({ requestPolicy: 'network-only' });
  }

  async function revoke(id: string) {
    const result = await revokeApiToken(id);
    const errs = result.data?.revokeApiToken.errors ?? [];
    if (errs.length) message.error(errs.map((e) => e.message).join('; '));
    else message.success(t('admin.tokenRevoked'));
    refetch({ requestPolicy: 'network-only' });
  }
  function revokeApiToken(id: string) {
    return revokeToken({ id });
  }

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      message.success(t('admin.copied'));
    } catch {
      message.info(secret);
    }
  }

  return (
    <>
      <PageHeader
        title={t('admin.tokens')}
        testId="tokens-title"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="token-new"
            onClick={() => {
              setErrors([]);
              form.resetFields();
              form.setFieldsValue({ name: '', actions: actions.filter((a) => a === 'read'), expiresInDays: 90 });
              setOpen(true);
            }}
          >
            {t('admin.newToken')}
          </Button>
        }
      />
      {secret && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSecret(null)}
          style={{ marginBottom: 16 }}
          title={t('admin.secretTitle')}
          data-testid="token-secret"
          description={
            <Space direction="vertical">
              <Typography.Text>{t('admin.secretHelp')}</Typography.Text>
              <Space>
                <Typography.Text code data-testid="token-secret-value">
                  {secret}
                </Typography.Text>
                <Button size="small" icon={<CopyOutlined />} onClick={copy} data-testid="token-copy">
                  {t('admin.copy')}
                </Button>
              </Space>
            </Space>
          }
        />
      )}
      <QueryState fetching={fetching} error={error} hasData={!!data} onRetry={() => refetch({ requestPolicy: 'network-only' })}>
        <Table<ApiTokenFieldsFragment>
          data-testid="tokens-table"
          rowKey="id"
          size="middle"
          dataSource={data?.apiTokens ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('admin.name'), dataIndex: 'name' },
            { title: t('admin.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
            {
              title: t('admin.actions'),
              dataIndex: 'actions',
              render: (list: string[]) => list.map((a) => <Tag key={a}>{t(`admin.actionNames.${a}` as 'admin.actionNames.read', { defaultValue: a })}</Tag>),
            },
            {
              title: t('imports.status'),
              key: 'state',
              render: (_, token) => {
                const state = tokenState(token);
                return (
                  <Tag color={state === 'active' ? 'green' : state === 'revoked' ? 'red' : 'default'} data-testid="token-state">
                    {t(`admin.${state}`)}
                  </Tag>
                );
              },
            },
            { title: t('admin.lastUsed'), dataIndex: 'lastUsedAt', render: fmt },
            { title: t('admin.expires'), dataIndex: 'expiresAt', render: fmt },
            { title: t('admin.created'), dataIndex: 'createdAt', render: fmt },
            {
              title: '',
              key: 'revoke',
              render: (_, token) =>
                tokenState(token) === 'active' && (
                  <Popconfirm title={t('admin.revokeConfirm')} onConfirm={() => revoke(token.id)} okButtonProps={{ danger: true }}>
                    <Button size="small" danger data-testid="token-revoke">
                      {t('admin.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </QueryState>
      <Modal open={open} title={t('admin.newToken')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okButtonProps={{ loading: createState.fetching }} forceRender>
        <PayloadErrorAlert errors={errors} />
        <Form<TokenForm> form={form} layout="vertical" onFinish={submit} data-testid="token-form">
          <Form.Item name="name" label={t('admin.name')} rules={[{ required: true, message: t('admin.required') }]}>
            <Input data-testid="token-name" />
          </Form.Item>
          <Form.Item name="actions" label={t('admin.actions')} rules={[{ required: true, message: t('admin.required') }]}>
            <Checkbox.Group
              data-testid="token-actions"
              options={actions.map((a) => ({ value: a, label: t(`admin.actionNames.${a}` as 'admin.actionNames.read', { defaultValue: a }) }))}
            />
          </Form.Item>
          <Form.Item name="scopeOrgId" label={t('admin.scope')} extra={t('admin.scopeHelp')}>
            <TreeSelect allowClear showSearch treeData={treeData} treeNodeFilterProp="label" treeNodeLabelProp="label" treeDefaultExpandedKeys={treeData.map((n) => n.key)} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('admin.expiresInDays')}>
            <InputNumber min={1} max={3650} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
