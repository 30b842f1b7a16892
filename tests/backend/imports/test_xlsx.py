"""XLSX uploads are read within limits: a declared dimension is ignored, and a file that would
unpack or spread beyond the caps is refused with a readable error before it costs anything."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from openpyxl import Workbook
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.services import imports
from backend.services.errors import ErrorCode
from backend.services.imports.reading import read_table
from backend.services.imports.xlsx import SheetLimits, SheetTooLarge, check_archive, sheet_rows

SHEET = "xl/worksheets/sheet1.xml"
HR_ROWS = [
    ("sales_agent", "manager", "regional_office"),
    ("Anna Snelling", "Dustin Brinkmann", "Central"),
    ("Moses Frase", "Dustin Brinkmann", "Central"),
]


def workbook(rows: list[tuple[object, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change: str, to: str, count: int = 0) -> bytes:
    """The same archive with the first sheet's XML changed by a regular expression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == SHEET:
                body, done = re.subn(change.encode(), to.encode(), body, count=count)
                assert done, "the sheet XML changed shape"
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declaring_huge_dimension(rows: list[tuple[object, ...]]) -> bytes:
    return rewrite_sheet(workbook(rows), r'<dimension ref="[A-Z0-9:]+" ?/>', HUGE)


HUGE = '<dimension ref="A1:XFD1048576"/>'


class TestDeclaredDimension:
    def test_a_sheet_declaring_a_huge_dimension_reads_only_its_real_rows(self):
        data = declaring_huge_dimension(HR_ROWS)
        assert HUGE.encode() in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
        # Limits far below the declared 1,048,576 x 16,384: honouring the claim would pass them.
        tight = SheetLimits(rows=10, columns=10, cells=100)
        assert sheet_rows("hr.xlsx", data, tight) == HR_ROWS
        table = read_table("hr.xlsx", data)
        assert table.header == HR_ROWS[0]
        assert table.rows == HR_ROWS[1:]

    async def test_it_uploads_as_an_ordinary_hr_file(self, session: AsyncSession):
        data = declaring_huge_dimension(HR_ROWS)
        run = await imports.create_run(
            session, actor="t", source="crm", files=[imports.UploadedFile("hr.xlsx", data)]
        )
        assert run.id is not None


class TestCaps:
    def test_a_row_reaching_a_far_column_is_refused_naming_the_file_and_the_limit(self):
        data = rewrite_sheet(
            workbook(HR_ROWS),
            r"</row>",
            '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>',
            count=1,
        )
        with pytest.raises(SheetTooLarge) as refusal:
            read_table("wide.xlsx", data)
        problem = refusal.value.problems[0]
        assert problem.code is ErrorCode.INVALID and problem.field == "files"
        assert "wide.xlsx" in problem.message and "16,384 columns" in problem.message
        assert "limit of 1,000" in problem.message

    def test_more_rows_than_the_cap_are_refused(self):
        data = workbook(HR_ROWS * 4)
        with pytest.raises(SheetTooLarge, match="more than the limit of 10 rows"):
            sheet_rows("long.xlsx", data, SheetLimits(rows=10))

    def test_more_cells_than_the_cap_are_refused(self):
        data = workbook(HR_ROWS * 4)
        with pytest.raises(SheetTooLarge, match="more than the limit of 20 cells"):
            sheet_rows("many.xlsx", data, SheetLimits(cells=20))


def declaring_member_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s uncompressed size forged in its local and central headers."""
    forged = bytearray(data)
    encoded = name.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = 30 if signature == b"PK\x03\x04" else 46
        start = 0
        while (start := forged.find(signature, start)) >= 0:
            if forged[start + name_at : start + name_at + len(encoded)] == encoded:
                forged[start + size_at : start + size_at + 4] = struct.pack("<I", size)
            start += 4
    return bytes(forged)


class TestUncompressedSize:
    def test_members_declaring_more_than_the_cap_are_refused_before_parsing(
        self, monkeypatch: pytest.MonkeyPatch
    ):
        data = declaring_member_size(workbook(HR_ROWS), SHEET, 3_000_000_000)
        assert zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size == 3_000_000_000

        def never(*args: object, **kwargs: object) -> None:
            raise AssertionError("the workbook was parsed")

        monkeypatch.setattr("openpyxl.load_workbook", never)
        with pytest.raises(SheetTooLarge) as refusal:
            read_table("bomb.xlsx", data)
        message = refusal.value.problems[0].message
        assert message.startswith("bomb.xlsx: the file unpacks to 3,00")
        assert "above the limit of 104,857,600 bytes" in message

    def test_an_ordinary_workbook_is_within_the_cap(self):
        check_archive("hr.xlsx", workbook(HR_ROWS))

    async def test_the_upload_is_refused_with_the_typed_error(self, session: AsyncSession):
        data = declaring_member_size(workbook(HR_ROWS), SHEET, 3_000_000_000)
        with pytest.raises(SheetTooLarge):
            await imports.create_run(
                session, actor="t", source="crm", files=[imports.UploadedFile("b.xlsx", data)]
            )
