import { Empty, Input, Tree } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keysToDepth, matchingKeys } from '../buildTree';
import { toAntTree, type OrgNode } from './orgTreeData';

interface Props {
  roots: OrgNode[];
  selectedId?: string;
  onSelect: (id: string) => void;
}

/** Searchable org tree; each node shows the reps in its subtree. */
export function OrgTreePanel({ roots, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const [expanded, setExpanded] = useState<string[]>(() => keysToDepth(roots, 2));
  const { matches, expand } = useMemo(() => matchingKeys(roots, term), [roots, term]);
  const treeData = useMemo(() => toAntTree(roots, matches), [roots, matches]);

  if (roots.length === 0) return <Empty description={t('org.empty')} />;

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('org.search')}
        onChange={(e) => {
          setTerm(e.target.value);
          const found = matchingKeys(roots, e.target.value).expand;
          if (found.size) setExpanded((prev) => Array.from(new Set([...prev, ...found])));
        }}
        style={{ marginBottom: 12 }}
        data-testid="org-search"
      />
      <Tree
        data-testid="org-tree"
        blockNode
        showLine
        treeData={treeData}
        expandedKeys={term ? Array.from(new Set([...expanded, ...expand])) : expanded}
        onExpand={(keys) => setExpanded(keys.map(String))}
        selectedKeys={selectedId ? [selectedId] : []}
        onSelect={(keys) => {
          if (keys.length) onSelect(String(keys[0]));
        }}
      />
    </>
  );
}
