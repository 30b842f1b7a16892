import { describe, expect, it } from 'vitest';
import { buildOrgTree, findNode, keysToDepth, matchingKeys, type FlatOrgUnit } from './buildTree';

const unit = (id: string, parentId: string | null, repCount = 0, code = id.toUpperCase()): FlatOrgUnit => ({
  id,
  parentId,
  name: `Unit ${id}`,
  code,
  repCount,
});

describe('buildOrgTree', () => {
  it('nests children under their parents in code order', () => {
    const tree = buildOrgTree([unit('t2', 'b', 2), unit('hq', null), unit('b', 'hq'), unit('t1', 'b', 3)]);
    expect(tree.map((n) => n.key)).toEqual(['hq']);
    expect(tree[0].children.map((n) => n.key)).toEqual(['b']);
    expect(tree[0].children[0].children.map((n) => n.key)).toEqual(['t1', 't2']);
  });

  it('keeps subtree rep counts that the API already totals', () => {
    const tree = buildOrgTree([unit('hq', null, 5), unit('t1', 'hq', 3), unit('t2', 'hq', 2)]);
    expect(tree[0].totalReps).toBe(5);
  });

  it('sums direct rep counts up the tree when parents carry none', () => {
    const tree = buildOrgTree([unit('hq', null, 0), unit('b', 'hq', 0), unit('t1', 'b', 3), unit('t2', 'b', 4)]);
    expect(tree[0].totalReps).toBe(7);
    expect(tree[0].children[0].totalReps).toBe(7);
  });

  it('makes a unit whose parent is not in the list a root', () => {
    const tree = buildOrgTree([unit('b', 'missing', 1), unit('t', 'b', 1)]);
    expect(tree.map((n) => n.key)).toEqual(['b']);
    expect(tree[0].children[0].key).toBe('t');
  });

  it('shows units caught in a parent cycle instead of looping or hiding them', () => {
    const tree = buildOrgTree([unit('a', 'b'), unit('b', 'a')]);
    const keys = new Set<string>();
    const walk = (nodes: typeof tree) => nodes.forEach((n) => (keys.add(n.key), walk(n.children)));
    walk(tree);
    expect(keys).toEqual(new Set(['a', 'b']));
  });

  it('returns an empty forest for an empty list', () => {
    expect(buildOrgTree([])).toEqual([]);
  });
});

describe('tree helpers', () => {
  const tree = buildOrgTree([unit('hq', null), unit('r', 'hq'), unit('b', 'r'), unit('t', 'b', 1, 'SZ-T1')]);

  it('expands parents down to the asked depth', () => {
    expect(keysToDepth(tree, 2)).toEqual(['hq', 'r']);
  });

  it('finds matches by code and the ancestors to expand', () => {
    const { matches, expand } = matchingKeys(tree, 'sz-t');
    expect([...matches]).toEqual(['t']);
    expect([...expand].sort()).toEqual(['b', 'hq', 'r']);
  });

  it('finds a node anywhere in the forest', () => {
    expect(findNode(tree, 'b')?.unit.name).toBe('Unit b');
    expect(findNode(tree, 'nope')).toBeUndefined();
  });
});
