"""Vectorised string building: external ids and names from pools, without a loop per row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from solver.synth.model import IntArr

_DIGITS4 = np.array(
    [np.frombuffer(f"{i:04d}".encode(), dtype=np.uint8) for i in range(10_000)], dtype=np.uint8
)

SURNAMES_CN = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
    "Liang",
    "Song",
    "Zheng",
    "Xie",
    "Han",
    "Tang",
    "Feng",
    "Yu",
    "Dong",
    "Xiao",
    "Cheng",
    "Cao",
    "Yuan",
    "Deng",
    "Fu",
    "Shen",
    "Zeng",
    "Peng",
    "Lu",
    "Su",
]
GIVEN_CN = [
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Lei",
    "Yang",
    "Jun",
    "Yan",
    "Tao",
    "Ming",
    "Chao",
    "Xiuying",
    "Xia",
    "Ping",
    "Gang",
    "Hui",
    "Qiang",
    "Li",
    "Hao",
    "Yu",
    "Jie",
    "Lan",
    "Kai",
    "Bo",
    "Ning",
    "Ting",
    "Xin",
    "Yi",
    "Rui",
    "Hong",
    "Jian",
    "Lin",
    "Dan",
    "Peng",
    "Shu",
    "Zhen",
    "Qian",
    "Yun",
    "Hua",
]
GIVEN_EN = [
    "James",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Grace",
    "Daniel",
    "Olivia",
    "Kevin",
    "Sophia",
    "Jason",
    "Amy",
    "Eric",
    "Linda",
    "Tony",
    "Cindy",
    "Vincent",
    "Irene",
    "Frank",
    "Helen",
    "Andy",
    "Vivian",
    "Steven",
    "Alice",
]
COMPANY_STEMS = [
    "Huaxin",
    "Zhongtian",
    "Jinlong",
    "Hengda",
    "Tianrui",
    "Xinghe",
    "Changjiang",
    "Dongfang",
    "Yuanhang",
    "Boya",
    "Ruifeng",
    "Shengshi",
    "Kaiyuan",
    "Hongtu",
    "Anxin",
    "Zhiyuan",
    "Mingde",
    "Jiahe",
    "Fuxing",
    "Lianchuang",
]
INDUSTRIES = [
    "Logistics",
    "Manufacturing",
    "Foods",
    "Pharma",
    "Electronics",
    "Retail",
    "Textiles",
    "Auto-Parts",
    "Energy",
    "Construction",
    "Media",
    "Education",
    "Chemicals",
    "Machinery",
    "Trading",
]
LEGAL_FORMS = ("Co., Ltd.", "Group", "Technology Co., Ltd.", "Holdings", "Industrial Co.")


def codes(prefix: str, ids: IntArr, width: int) -> pa.StringArray:
    """``prefix`` + ``ids`` zero-padded to ``width`` digits (ids must fit in the width)."""
    groups = -(-width // 4)
    n = len(ids)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    buf = np.empty((n, len(head) + 4 * groups), dtype=np.uint8)
    buf[:, : len(head)] = head
    rest = ids.astype(np.int64)
    for g in range(groups, 0, -1):
        rest, low = np.divmod(rest, 10_000)
        start = len(head) + 4 * (g - 1)
        buf[:, start : start + 4] = _DIGITS4[low]
    drop = 4 * groups - width
    if drop:
        buf = np.ascontiguousarray(np.delete(buf, np.s_[len(head) : len(head) + drop], axis=1))
    row = buf.shape[1]
    offsets = np.arange(0, n * row + 1, row, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))


def join_pools(
    pools: Sequence[Sequence[str]], picks: Sequence[IntArr], sep: str = " "
) -> pa.StringArray:
    """Join one word from each pool per row, e.g. a surname and a given name."""
    parts = [
        pa.array(list(pool), pa.string()).take(pa.array(p))
        for pool, p in zip(pools, picks, strict=True)
    ]
    joined = pc.binary_join_element_wise(*parts, sep)
    return pa.array(joined, pa.string())


def person_names(rng: np.random.Generator, n: int) -> pa.StringArray:
    """Mostly pinyin names ("Wang Wei"), some English given names ("Emily Chen")."""
    surname = rng.integers(0, len(SURNAMES_CN), n)
    given_cn = rng.integers(0, len(GIVEN_CN), n)
    given_en = rng.integers(0, len(GIVEN_EN), n)
    english = rng.random(n) < 0.25
    cn = join_pools([SURNAMES_CN, GIVEN_CN], [surname, given_cn])
    en = join_pools([GIVEN_EN, SURNAMES_CN], [given_en, surname])
    return pa.array(pc.if_else(pa.array(english), en, cn), pa.string())


def company_names(rng: np.random.Generator, n: int) -> pa.StringArray:
    """Plausible customer names such as "Huaxin Logistics Co., Ltd."."""
    picks = [rng.integers(0, len(p), n) for p in (COMPANY_STEMS, INDUSTRIES, LEGAL_FORMS)]
    return join_pools([COMPANY_STEMS, INDUSTRIES, LEGAL_FORMS], picks)
