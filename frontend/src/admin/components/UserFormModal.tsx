import { useEffect, useMemo, useState } from 'react';
import { Form, Input, Modal, Select, TreeSelect } from 'antd';
import type { FormInstance } from 'antd';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { repSearchQuery } from '../queries';
import type { AntTreeItem } from '../../orgTree/components/orgTreeData';
import { PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';

export const ROLES = ['admin', 'hq_planner', 'branch_manager', 'team_lead', 'rep', 'integration'] as const;

export interface UserFormValues {
  username?: string;
  displayName?: string;
  password?: string;
  role: string;
  scopeOrgId?: string | null;
  repId?: string | null;
}

interface Props {
  open: boolean;
  mode: 'create' | 'change';
  form: FormInstance<UserFormValues>;
  treeData: AntTreeItem[];
  errors: UserErrorLike[];
  saving: boolean;
  title: string;
  onCancel: () => void;
  onSubmit: (values: UserFormValues) => void;
}

/** Create a user, or change a user's role, scope and rep record. */
export function UserFormModal({ open, mode, form, treeData, errors, saving, title, onCancel, onSubmit }: Props) {
  const { t } = useTranslation();
  const role = Form.useWatch('role', form);
  const [search, setSearch] = useState('');
  const [{ data }] = useQuery({ query: repSearchQuery, variables: { search: search || null }, pause: !open || role !== 'rep' });
  const repOptions = useMemo(() => (data?.reps.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name })), [data]);
  useEffect(() => {
    if (!open) setSearch('');
  }, [open]);
  return (
    <Modal open={open} title={title} onCancel={onCancel} onOk={() => form.submit()} okButtonProps={{ loading: saving }} destroyOnHidden forceRender>
      <PayloadErrorAlert errors={errors} />
      <Form form={form} layout="vertical" onFinish={onSubmit} data-testid="user-form">
        {mode === 'create' && (
          <>
            <Form.Item name="username" label={t('admin.username')} rules={[{ required: true, message: t('admin.required') }]}>
              <Input data-testid="user-username" autoComplete="off" />
            </Form.Item>
            <Form.Item name="displayName" label={t('admin.displayName')}>
              <Input data-testid="user-display-name" />
            </Form.Item>
            <Form.Item name="password" label={t('admin.password')} rules={[{ required: true, message: t('admin.required') }]}>
              <Input.Password data-testid="user-password" autoComplete="new-password" />
            </Form.Item>
          </>
        )}
        <Form.Item name="role" label={t('admin.role')} rules={[{ required: true, message: t('admin.required') }]}>
          <Select data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: t(`auth.roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="scopeOrgId" label={t('admin.scope')} extra={t('admin.scopeHelp')}>
          <TreeSelect
            data-testid="user-scope"
            allowClear
            showSearch
            treeData={treeData}
            treeNodeFilterProp="label"
            treeNodeLabelProp="label"
            treeDefaultExpandedKeys={treeData.map((n) => n.key)}
          />
        </Form.Item>
        {role === 'rep' && (
          <Form.Item name="repId" label={t('admin.rep')} extra={t('admin.repHelp')} rules={[{ required: true, message: t('admin.required') }]}>
            <Select data-testid="user-rep" showSearch filterOption={false} onSearch={setSearch} options={repOptions} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
