"""Runs the LiveKit Agents worker and, in the same process, the health server on PORT.

Run as `opentelemetry-instrument python -m app.main` (the image's CMD). On SIGTERM the worker
drains: LiveKit stops sending it jobs, calls in progress get DRAIN_TIMEOUT_SECONDS to end,
then it closes. If the worker dies, /health answers 503 and the process exits 1, so the
platform restarts it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import Any, Mapping

from app.handlers import ConfigError, HealthServer, Settings, WorkerHealth

logger = logging.getLogger("voice_agent")


async def close(server: Any) -> None:
    try:
        await server.aclose()
    except Exception:
        logger.warning("closing the worker failed", exc_info=True)


async def run_worker(server: Any, health: WorkerHealth, stop: asyncio.Event | None = None) -> int:
    """Runs `server` (an AgentServer) until `stop` is set (by default on SIGTERM or SIGINT) or
    the worker dies, keeping `health` current; answers the process's exit status."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    server.on("worker_started", lambda *_: health.connecting())
    server.on("worker_registered", lambda *args: health.registered(str(args[0]) if args else ""))

    worker = asyncio.ensure_future(server.run(devmode=False))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({worker, stopping}, return_when=asyncio.FIRST_COMPLETED)

    if worker.done():
        stopping.cancel()
        error = None if worker.cancelled() else worker.exception()
        reason = f"the worker stopped: {error!r}" if error else "the worker stopped on its own"
        health.failed(reason)
        logger.error(reason)
        await close(server)
        return 1

    logger.info("draining: no new jobs; calls in progress may finish")
    health.draining()
    try:
        await server.drain()
    except asyncio.TimeoutError:
        logger.warning("drain timed out: ending the calls still in progress")
    await close(server)
    await asyncio.wait({worker}, timeout=10)  # closing ends run()
    if not worker.done():
        worker.cancel()
    elif not worker.cancelled() and worker.exception() is not None:
        logger.debug("the worker ended while closing", exc_info=worker.exception())
    health.stopped()
    return 0


def main(env: Mapping[str, str] = os.environ) -> int:
    try:
        settings = Settings.from_env(env)
    except ConfigError as error:
        print(f"livekit-voice-agent: configuration error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    health = WorkerHealth()
    health_server = HealthServer(health, port=settings.port)
    health_server.start()
    logger.info("health on :%d/health", health_server.port)
    try:
        # Imported here, on the main thread (LiveKit plugins must register there), once the
        # health server already answers 503 "starting".
        from app.agent import build_server

        return asyncio.run(run_worker(build_server(settings), health))
    except Exception as error:
        health.failed(f"the worker could not start: {error!r}")
        logger.exception("the worker could not start")
        return 1
    finally:
        health_server.stop()


if __name__ == "__main__":
    sys.exit(main())
