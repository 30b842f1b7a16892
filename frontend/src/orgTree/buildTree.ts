export interface FlatOrgUnit {
  id: string;
  parentId?: string | null;
  name: string;
  code: string;
  repCount: number;
}

export interface OrgTreeNode<T extends FlatOrgUnit = FlatOrgUnit> {
  key: string;
  unit: T;
  /** Reps in this unit and everything below it. */
  totalReps: number;
  children: OrgTreeNode<T>[];
}

const byCodeThenName = (a: FlatOrgUnit, b: FlatOrgUnit) =>
  a.code.localeCompare(b.code) || a.name.localeCompare(b.name);

/**
 * Build the org tree from the API's flat list.
 *
 * Units whose parent is missing from the list become roots (a scoped user sees a subtree);
 * children are ordered by code. `totalReps` sums the subtree; it accepts both readings of
 * `repCount` (direct reps only, or already the subtree total), because reps sit on teams.
 *
 * @example buildOrgTree([{id:'1',name:'HQ',code:'HQ',repCount:0},{id:'2',parentId:'1',name:'T',code:'T',repCount:3}])
 *   // => [{ key:'1', totalReps:3, children:[{ key:'2', totalReps:3, children:[] }] }]
 */
export function buildOrgTree<T extends FlatOrgUnit>(units: readonly T[]): OrgTreeNode<T>[] {
  const ids = new Set(units.map((u) => u.id));
  const childrenOf = new Map<string | null, T[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) && unit.parentId !== unit.id ? unit.parentId : null;
    const list = childrenOf.get(parent) ?? [];
    list.push(unit);
    childrenOf.set(parent, list);
  }

  const visited = new Set<string>();
  const build = (unit: T): OrgTreeNode<T> => {
    visited.add(unit.id);
    const children = (childrenOf.get(unit.id) ?? [])
      .filter((child) => !visited.has(child.id)) // a cycle in bad data must not loop forever
      .sort(byCodeThenName)
      .map(build);
    const childTotal = children.reduce((sum, child) => sum + child.totalReps, 0);
    const totalReps = unit.repCount >= childTotal && children.length > 0 ? unit.repCount : unit.repCount + childTotal;
    return { key: unit.id, unit, totalReps, children };
  };

  const roots = [...(childrenOf.get(null) ?? [])].sort(byCodeThenName).map(build);
  // Units caught in a parent cycle have no root; show them at top level rather than hide them.
  const orphans = units.filter((u) => !visited.has(u.id)).sort(byCodeThenName);
  for (const orphan of orphans) if (!visited.has(orphan.id)) roots.push(build(orphan));
  return roots;
}

/** Keys of the nodes with children down to `depth` levels, for the default expansion. */
export function keysToDepth(nodes: readonly OrgTreeNode[], depth: number): string[] {
  if (depth <= 0) return [];
  return nodes.flatMap((node) =>
    node.children.length > 0 ? [node.key, ...keysToDepth(node.children, depth - 1)] : [],
  );
}

/** Keys of the nodes whose name or code matches, plus all their ancestors (to expand). */
export function matchingKeys(nodes: readonly OrgTreeNode[], term: string): { matches: Set<string>; expand: Set<string> } {
  const needle = term.trim().toLowerCase();
  const matches = new Set<string>();
  const expand = new Set<string>();
  if (!needle) return { matches, expand };
  const walk = (node: OrgTreeNode, ancestors: string[]) => {
    const hit = node.unit.name.toLowerCase().includes(needle) || node.unit.code.toLowerCase().includes(needle);
    if (hit) {
      matches.add(node.key);
      ancestors.forEach((a) => expand.add(a));
    }
    node.children.forEach((child) => walk(child, [...ancestors, node.key]));
  };
  nodes.forEach((node) => walk(node, []));
  return { matches, expand };
}

/** Find a node by key anywhere in the forest. */
export function findNode<T extends FlatOrgUnit>(nodes: readonly OrgTreeNode<T>[], key: string): OrgTreeNode<T> | undefined {
  for (const node of nodes) {
    if (node.key === key) return node;
    const found = findNode(node.children, key);
    if (found) return found;
  }
  return undefined;
}
