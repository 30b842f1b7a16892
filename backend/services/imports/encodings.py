"""Which text encoding a file was written in, decided from its bytes and never silently lossy.

Order of evidence: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a mark (a NUL
in every other byte); strict UTF-8; GB18030 (a superset of GBK and GB2312) when the high bytes
come in pairs and decode to CJK text; else Windows-1252 (Latin-1 for its five undefined bytes).

A Windows-1252 file misread as GB18030 decodes "Crème" into rare ideographs; a GBK file misread
as Windows-1252 decodes "北京" into "±±¾©". Both readings "succeed", so the choice is made on the
shape of the bytes: in GBK text a high byte is followed by a second byte (a pair), in Western
text accented letters are single high bytes between ASCII letters.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def detect(data: bytes) -> str:
    """The codec to decode ``data`` with.

    >>> detect("名称".encode("gbk")), detect("Café".encode("cp1252")), detect(b"\\xef\\xbb\\xbfa")
    ('gb18030', 'cp1252', 'utf-8-sig')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_gb(data):
        return "gb18030"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _looks_gb(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    runs = _HIGH_RUNS.findall(data)
    paired = sum(len(r) for r in runs if len(r) % 2 == 0)
    high = sum(len(r) for r in runs)
    non_ascii = [ch for ch in text if ord(ch) > 127]
    cjk = sum(1 for ch in non_ascii if _CJK.match(ch))
    return high > 0 and paired >= 0.8 * high and cjk >= 0.8 * len(non_ascii)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the codec it was read with (``utf-8-sig`` drops a BOM; UTF-16 drops its own)."""
    codec = detect(data)
    text = data.decode(codec)
    return text.removeprefix("\ufeff"), codec
