"""The org tree as sparse membership: which reps sit under which node."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from solver.types import IntArray


@dataclass(frozen=True, eq=False)
class Membership:
    """``matrix[g, r] = 1`` when rep ``r`` (position) sits under goal node ``nodes[g]``.

    ``free[g]`` lists the reps of node ``g`` that sit under no deeper goal node, ``children[g]``
    the nearest goal nodes below ``g``, and ``order`` visits goal nodes deepest first.
    """

    nodes: IntArray
    matrix: sp.csr_matrix
    free: tuple[IntArray, ...]
    children: tuple[IntArray, ...]
    order: IntArray


def ancestor_pairs(reps: pd.DataFrame, org: pd.DataFrame) -> pd.DataFrame:
    """Rows (rep position, org_id, depth-from-rep) for the rep's team and all its ancestors."""
    parent = pd.Series(org["parent_id"].to_numpy(), index=org["org_id"].to_numpy())
    current = pd.Series(reps["org_id"].to_numpy(), dtype="Int64")
    position = np.arange(len(reps))
    frames, step = [], 0
    while current.notna().any():
        keep = current.notna().to_numpy()
        frames.append(
            pd.DataFrame(
                {"pos": position[keep], "org_id": current[keep].to_numpy("int64"), "step": step}
            )
        )
        current = pd.Series(current.map(parent).to_numpy(), dtype="Int64")
        step += 1
        if step > 64:
            raise ValueError("org tree has a cycle or is deeper than 64 levels")
    return pd.concat(frames, ignore_index=True)


def membership(reps: pd.DataFrame, org: pd.DataFrame, goal_nodes: IntArray) -> Membership:
    """Sparse membership of reps in the goal nodes, with each node's free reps."""
    pairs = ancestor_pairs(reps, org)
    nodes = np.asarray(goal_nodes, dtype=np.int64)
    pairs = pairs[pairs["org_id"].isin(nodes)]
    row = pd.Index(nodes).get_indexer(pd.Index(pairs["org_id"].to_numpy()))
    pos = pairs["pos"].to_numpy()
    data = np.ones(len(pairs))
    matrix = sp.csr_matrix((data, (row, pos)), shape=(len(nodes), len(reps)))
    # The nearest goal node above each rep owns it as a free rep.
    nearest = pairs.loc[pairs.groupby("pos")["step"].idxmin()]
    owner = pd.Index(nodes).get_indexer(pd.Index(nearest["org_id"].to_numpy()))
    free = tuple(nearest["pos"].to_numpy()[owner == g] for g in range(len(nodes)))
    children, depth = _goal_children(org, nodes)
    order = np.argsort(-depth, kind="stable")
    return Membership(nodes, matrix, free, children, order)


def _goal_children(org: pd.DataFrame, nodes: IntArray) -> tuple[tuple[IntArray, ...], IntArray]:
    """Nearest goal-node descendants of each goal node, and each goal node's depth."""
    parent = dict(zip(org["org_id"].tolist(), org["parent_id"].tolist(), strict=True))
    index = {int(n): g for g, n in enumerate(nodes)}
    kids: list[list[int]] = [[] for _ in nodes]
    depth = np.zeros(len(nodes), dtype=np.int64)
    for g, node in enumerate(nodes.tolist()):
        up, d = parent.get(node), 0
        found = False
        while up is not None and not pd.isna(up):
            d += 1
            if not found and int(up) in index:
                kids[index[int(up)]].append(g)
                found = True
            up = parent.get(int(up))
        depth[g] = d
    return tuple(np.asarray(k, dtype=np.int64) for k in kids), depth
