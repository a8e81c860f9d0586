"""A burst larger than the database pool queues at the door instead of failing (no 503 from the pool)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
from fastapi import FastAPI

from jiabao.api.guard import AdmissionGate


def _app(limit: int) -> tuple[AdmissionGate, dict[str, int]]:
    inner = FastAPI()
    seen = {"inside": 0, "most": 0}
    lock = threading.Lock()

    @inner.get("/work")
    def work() -> dict[str, bool]:  # a sync handler: runs on the worker-thread pool like every Jiabao route
        with lock:
            seen["inside"] += 1
            seen["most"] = max(seen["most"], seen["inside"])
        time.sleep(0.02)
        with lock:
            seen["inside"] -= 1
        return {"ok": True}

    @inner.get("/static/app.css")
    def css() -> dict[str, bool]:
        return {"ok": True}

    return AdmissionGate(inner, limit=limit), seen


def test_no_more_than_the_limit_are_inside_and_everyone_is_served() -> None:
    gate, seen = _app(limit=3)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            responses = await asyncio.gather(*(client.get("/work") for _ in range(40)))
        return [r.status_code for r in responses]

    statuses = asyncio.run(burst())
    assert statuses == [200] * 40
    assert seen["most"] == 3  # the gate let exactly its limit in at once, never more


def test_static_files_do_not_queue_behind_the_gate() -> None:
    gate, _ = _app(limit=1)

    async def run() -> int:
        transport = httpx.ASGITransport(app=gate)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            held = asyncio.create_task(client.get("/work"))
            await asyncio.sleep(0)
            response = await asyncio.wait_for(client.get("/static/app.css"), timeout=5)
            await held
        return response.status_code

    assert asyncio.run(run()) == 200
