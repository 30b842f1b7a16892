"""`quotient bench security --json`: abuse figures against a real server, one JSON per line.

A real uvicorn server (its own process, a temporary SQLite database) is measured over TCP, so
anything that blocks its event loop shows. Cases:

- ``me_under_sign_in_flood``: p50 of a signed-in ``{me}`` while other processes send wrong
  sign-ins as fast as they can, against the same query on the idle server (the reference).
  Run twice: with the default per-client limits (a flood from one address is throttled), and
  with the limits lifted (a flood from many addresses: every attempt reaches the password check,
  so only the bounded verifier pool protects the event loop).
- ``xlsx_bomb``: a small XLSX whose sheet declares ``A1:XFD5001`` uploaded through
  ``uploadImport``: seconds to the answer and the server's resident memory growth, beside the
  same rows in an ordinary workbook (the reference).
"""

from __future__ import annotations

import asyncio
import io
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from backend.cli_planning import PASSWORD, SIGN_IN, bench_app, emit

ME = "{ me { username } }"
WRONG = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  errors { code } } }"""
UPLOAD = """mutation($input: UploadImportInput!) { uploadImport(input: $input) {
  run { id } errors { code message } } }"""
BOMB_ROWS = 5000


def register(app: typer.Typer) -> None:
    """Add `security` to the `bench` group (which backend/cli_planning.py adds to the app)."""
    del app
    bench_app.command("security")(security)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux), read from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def _prepare(url: str) -> None:
    from backend.db.engine import create_engine, session_factory
    from backend.db.migrate import upgrade_to_head
    from backend.services import auth

    engine = create_engine(url)
    await upgrade_to_head(engine)
    async with session_factory(engine)() as session:
        await auth.bootstrap_admin(session, username="bench", password=PASSWORD)
        # The flood's real account: locked after five guesses, while "bench" stays usable.
        await auth.bootstrap_admin(session, username="victim", password=PASSWORD)
        await session.commit()
    await engine.dispose()


@contextmanager
def _server(url: str, *, throttled: bool) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A uvicorn server in its own process; yields its base URL and the process."""
    port = _free_port()
    env = {
        **os.environ,
        "QUOTIENT_ENV": "test",
        "DATABASE_URL": url,
        "QUOTIENT_SECRET_KEY": "s" * 40,
    }
    if not throttled:
        env["QUOTIENT_SIGN_IN_LIMIT_PER_CLIENT"] = "1000000000"
        env["QUOTIENT_SIGN_IN_LIMIT_PER_USERNAME"] = "1000000000"
    command = [sys.executable, "-c", "from backend.cli import main; main()", "serve"]
    command += ["--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "the server exited: " + (process.stderr or io.BytesIO()).read().decode()
            )
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within 60 s")


async def _signed_in(base: str) -> Any:
    import httpx

    from backend.graphql.authn import CSRF_COOKIE

    client = httpx.AsyncClient(base_url=base, timeout=60)
    signed = await client.post(
        "/graphql", json={"query": SIGN_IN, "variables": {"u": "bench", "p": PASSWORD}}
    )
    assert CSRF_COOKIE in client.cookies, signed.text
    client.headers["x-csrf-token"] = client.cookies[CSRF_COOKIE]
    return client


async def _me_p50(client: Any, samples: int) -> float:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        response = await client.post("/graphql", json={"query": ME})
        times.append((time.perf_counter() - start) * 1000)
        assert response.json()["data"]["me"]["username"] == "bench"
        await asyncio.sleep(0.02)  # a person's pace, not a second flood
    return statistics.median(times)


def _flood(base: str, loops: int, stop: Any, counts: Any) -> None:
    """Anonymous wrong sign-ins as fast as ``loops`` connections allow (a separate process)."""
    import httpx

    async def loop(index: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            attempt = 0
            while not stop.is_set():
                attempt += 1
                # Half against a real account (locked after five), half against unknown names.
                user = "victim" if attempt % 2 else f"nobody-{index}-{attempt}"
                response = await client.post(
                    "/graphql",
                    json={"query": WRONG, "variables": {"u": user, "p": f"guess-{attempt}"}},
                )
                with counts.get_lock():
                    counts[0 if response.status_code == 200 else 1] += 1

    async def run() -> None:
        await asyncio.gather(*(loop(i) for i in range(loops)))

    asyncio.run(run())


async def _flood_case(url: str, *, throttled: bool, loops: int, samples: int) -> None:
    with _server(url, throttled=throttled) as (base, _):
        client = await _signed_in(base)
        idle = await _me_p50(client, samples)
        spawn = multiprocessing.get_context("spawn")  # no fork of a process running a loop
        counts = spawn.Array("i", 2)
        stop = spawn.Event()
        flooder = spawn.Process(target=_flood, args=(base, loops, stop, counts))
        started = time.monotonic()
        flooder.start()
        await asyncio.sleep(2)  # let the flood reach full speed
        flooded = await _me_p50(client, samples)
        stop.set()
        elapsed = time.monotonic() - started
        flooder.join(timeout=120)
        await client.aclose()
    emit(
        "me_under_sign_in_flood",
        limits="default per-client and per-username limits" if throttled else "lifted",
        reference="idle server, same query",
        idle_p50_ms=round(idle, 1),
        flooded_p50_ms=round(flooded, 1),
        ratio=round(flooded / idle, 2),
        target_ratio=3.0,
        flood_processes=1,
        flood_connections=loops,
        flood_requests_per_s=round((counts[0] + counts[1]) / elapsed, 1),
        flood_non_200=counts[1],
        samples=samples,
    )


def _workbook(declared: str | None = None, padding: int = 0) -> bytes:
    """``BOMB_ROWS`` small rows; optionally with the sheet's dimension declared as ``declared``
    and ``padding`` bytes of blanks in the sheet XML (which deflate a thousandfold)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["employee_id", "name", "team"])
    for i in range(BOMB_ROWS):
        sheet.append([f"E{i}", f"Person {i}", "T1"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if declared is None and not padding:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                if declared is not None:
                    body = re.sub(rb'<dimension ref="[A-Z0-9:]+" ?/>', declared.encode(), body)
                body = body.replace(b"</sheetData>", b" " * padding + b"</sheetData>")
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


async def _upload(client: Any, name: str, data: bytes) -> tuple[float, dict[str, Any]]:
    operations = {"query": UPLOAD, "variables": {"input": {"source": "hr", "files": [None]}}}
    start = time.perf_counter()
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.files.0"]}),
        },
        files={
            "0": (name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        },
    )
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.text
    return seconds, response.json()["data"]["uploadImport"]


async def _bomb_case(url: str) -> None:
    bombs = {
        "declared A1:XFD5001 (ignored: only the real rows are read)": _workbook(
            '<dimension ref="A1:XFD5001"/>'
        ),
        "sheet XML padded to 200 MB uncompressed (refused)": _workbook(padding=200 << 20),
    }
    plain = _workbook()
    with _server(url, throttled=True) as (base, process):
        client = await _signed_in(base)
        reference_seconds, reference = await _upload(client, "plain.xlsx", plain)
        for bomb, data in bombs.items():
            before = _rss_bytes(process.pid)
            seconds, payload = await _upload(client, "bomb.xlsx", data)
            growth = _rss_bytes(process.pid) - before
            emit(
                "xlsx_bomb",
                bomb=bomb,
                file_kb=round(len(data) / 1024, 1),
                rows=BOMB_ROWS,
                outcome="refused" if payload["errors"] else "read",
                errors=[e["message"] for e in payload["errors"]][:2],
                seconds=round(seconds, 3),
                target_s=2.0,
                rss_growth_mb=round(growth / 2**20, 1),
                target_rss_growth_mb=100,
                reference="the same rows in an ordinary workbook",
                reference_outcome="refused" if reference["errors"] else "read",
                reference_seconds=round(reference_seconds, 3),
            )
        await client.aclose()


def security(
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = True,
    samples: Annotated[int, typer.Option(help="`{me}` requests per measurement.")] = 60,
    connections: Annotated[int, typer.Option(help="Concurrent flooding connections.")] = 8,
) -> None:
    """`{me}` under an anonymous sign-in flood, and an XLSX bomb; prints JSON lines."""

    async def run() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            await _prepare(url)
            await _flood_case(url, throttled=True, loops=connections, samples=samples)
            await _flood_case(url, throttled=False, loops=connections, samples=samples)
            await _bomb_case(url)

    del json_lines  # the output is always JSON lines; the flag documents it
    asyncio.run(run())
