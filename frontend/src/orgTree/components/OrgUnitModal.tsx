import { useMemo, useState } from 'react';
import { App, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { applyPayloadErrors, PayloadErrorAlert } from '../../graphql/PayloadErrors';
import type { UserErrorLike } from '../../graphql/userErrors';
import type { OrgUnitFieldsFragment, OrgUnitKind } from '../../gql/graphql';
import { buildOrgTree, findNode } from '../buildTree';
import { createOrgUnitMutation, updateOrgUnitMutation } from '../queries';
import { toAntTree, type AntTreeItem, type OrgNode } from './orgTreeData';

const KINDS: OrgUnitKind[] = ['COMPANY', 'REGION', 'BRANCH', 'TEAM'];

/** The kinds a new child of `parent` may have: strictly below the parent's. */
export function childKinds(parent: OrgUnitKind): OrgUnitKind[] {
  return KINDS.slice(KINDS.indexOf(parent) + 1);
}

function keysUnder(node: OrgNode | undefined): Set<string> {
  const keys = new Set<string>();
  const walk = (n: OrgNode) => {
    keys.add(n.key);
    n.children.forEach(walk);
  };
  if (node) walk(node);
  return keys;
}

function disableKeys(items: AntTreeItem[], blocked: Set<string>): (AntTreeItem & { disabled?: boolean })[] {
  return items.map((item) => ({ ...item, disabled: blocked.has(item.key), children: disableKeys(item.children, blocked) }));
}

interface Props {
  mode: 'create' | 'edit';
  unit: OrgUnitFieldsFragment;
  units: readonly OrgUnitFieldsFragment[];
  onClose: (changed: boolean) => void;
  onReload: () => void;
}

/** Add a unit under `unit`, or rename `unit` / move it under another parent. */
export function OrgUnitModal({ mode, unit, units, onClose, onReload }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const [{ fetching: creating }, create] = useMutation(createOrgUnitMutation);
  const [{ fetching: updating }, update] = useMutation(updateOrgUnitMutation);
  const parentTree = useMemo(() => {
    const roots = buildOrgTree(units);
    // Moving under itself or its own subtree would make a cycle.
    return disableKeys(toAntTree(roots), keysUnder(findNode(roots, unit.id)));
  }, [units, unit.id]);
  const kinds = childKinds(unit.kind);

  const submit = async (values: { name: string; code?: string; kind?: OrgUnitKind; parentId?: string }) => {
    setErrors([]);
    let payloadErrors: readonly UserErrorLike[];
    if (mode === 'create') {
      const input = { parentId: unit.id, name: values.name.trim(), code: (values.code ?? '').trim(), kind: values.kind ?? 'TEAM' };
      const result = await create({ input });
      if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
      payloadErrors = result.data?.createOrgUnit.errors ?? [];
    } else {
      const input = {
        id: unit.id,
        expectedVersion: unit.version,
        name: values.name.trim() === unit.name ? null : values.name.trim(),
        parentId: values.parentId && values.parentId !== unit.parentId ? values.parentId : null,
      };
      const result = await update({ input });
      if (result.error) return setErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
      payloadErrors = result.data?.updateOrgUnit.errors ?? [];
    }
    if (payloadErrors.length) return setErrors(applyPayloadErrors(form, payloadErrors, ['name', 'code', 'kind', 'parentId']));
    void message.success(t('org.saved'));
    onClose(true);
  };

  return (
    <Modal
      open
      title={mode === 'create' ? `${t('org.addChild')} · ${unit.name}` : `${t('org.editUnit')} · ${unit.name}`}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: creating || updating, 'data-testid': 'org-unit-save' }}
      destroyOnHidden
    >
      <PayloadErrorAlert errors={errors} onReload={onReload} />
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={
          mode === 'create' ? { name: '', code: '', kind: kinds[kinds.length - 1] } : { name: unit.name, parentId: unit.parentId ?? undefined }
        }
      >
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}>
          <Input maxLength={100} data-testid="org-unit-name" />
        </Form.Item>
        {mode === 'create' ? (
          <>
            <Form.Item name="code" label={t('org.code')} rules={[{ required: true, whitespace: true, message: t('ranks.validation.required') }]}>
              <Input maxLength={30} data-testid="org-unit-code" />
            </Form.Item>
            <Form.Item name="kind" label={t('org.kind')}>
              <Select data-testid="org-unit-kind" options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
            </Form.Item>
          </>
        ) : (
          unit.parentId && (
            <Form.Item name="parentId" label={t('org.parent')} extra={t('org.noCycle')}>
              <TreeSelect treeData={parentTree} treeDefaultExpandAll treeNodeLabelProp="label" showSearch treeNodeFilterProp="label" data-testid="org-unit-parent" />
            </Form.Item>
          )
        )}
      </Form>
    </Modal>
  );
}
