import type { ReactNode } from 'react';
import { Badge, Space, Typography } from 'antd';
import type { OrgTreeNode } from '../buildTree';
import type { OrgUnitFieldsFragment } from '../../gql/graphql';

export type OrgNode = OrgTreeNode<OrgUnitFieldsFragment>;

export interface AntTreeItem {
  key: string;
  value: string;
  title: ReactNode;
  label: string;
  children: AntTreeItem[];
}

/** antd Tree / TreeSelect data, each title with the unit's rep count. */
export function toAntTree(nodes: readonly OrgNode[], highlight?: Set<string>): AntTreeItem[] {
  return nodes.map((node) => ({
    key: node.key,
    value: node.key,
    label: node.unit.name,
    title: (
      <Space size={6} data-testid={`org-node-${node.unit.code}`}>
        <Typography.Text mark={highlight?.has(node.key)}>{node.unit.name}</Typography.Text>
        <Badge count={node.totalReps} showZero overflowCount={99999} color="#8c9bb5" size="small" />
      </Space>
    ),
    children: toAntTree(node.children, highlight),
  }));
}
