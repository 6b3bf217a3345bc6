"""The service: one Dynamiq agent, built at start, behind GET /health and POST /run.

Run as `opentelemetry-instrument python -m app.main` (the image's CMD): the OpenTelemetry
distro reads Slipway's OTEL_* variables and the FastAPI instrumentation traces each request.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

import uvicorn
from dynamiq.connections import OpenAI as OpenAIConnection
from dynamiq.nodes.agents import Agent
from dynamiq.nodes.llms.openai import OpenAI
from dynamiq.nodes.types import InferenceMode
from dynamiq.runnables import RunnableConfig
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.handlers import (
    ConfigError,
    HealthState,
    RequestError,
    Settings,
    error_body,
    parse_run_request,
    shape_result,
    timeout_result,
)

logger = logging.getLogger("dynamiq_agent")


def build_agent(settings: Settings) -> Agent:
    """The agent every request runs a clone of: an OpenAI model, no tools."""
    llm = OpenAI(
        connection=OpenAIConnection(api_key=settings.openai_api_key),
        model=settings.model,
        temperature=settings.temperature,
    )
    return Agent(
        name="slipway-agent",
        llm=llm,
        tools=[],
        role=settings.role,
        max_loops=settings.max_loops,
        inference_mode=InferenceMode.FUNCTION_CALLING,
    )


def create_app(settings: Settings) -> FastAPI:
    health = HealthState()
    agents: dict[str, Agent] = {}
    unfinished: set[asyncio.Future[Any]] = set()  # timed-out runs still winding down

    def forget(task: asyncio.Future[Any]) -> None:
        unfinished.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("a timed-out run ended with %r", task.exception())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            agents["template"] = build_agent(settings)
        except Exception as error:
            health.failed(f"building the agent failed: {error}")
            raise
        health.ready(model=settings.model)
        logger.info("agent ready (model %s)", settings.model)
        yield
        health.stopping()

    app = FastAPI(
        title="Dynamiq agent", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )

    @app.get("/health")
    async def get_health() -> JSONResponse:
        status, body = health.snapshot()
        return JSONResponse(body, status_code=status)

    @app.post("/run")
    async def run(request: Request) -> JSONResponse:
        request_id = request.headers.get("x-request-id")
        try:
            text = parse_run_request(await request.body(), settings)
        except RequestError as refused:
            return JSONResponse(
                error_body(refused.code, refused.message, request_id), status_code=refused.status
            )
        # A clone per request: an agent keeps per-run state, and requests run concurrently.
        agent = agents["template"].clone()
        config = RunnableConfig()  # carries the run's cancellation token
        started = time.monotonic()
        run_task = asyncio.ensure_future(agent.run_async(input_data={"input": text}, config=config))
        done, _ = await asyncio.wait({run_task}, timeout=settings.run_timeout_seconds)
        if not done:
            # Answer now; the run stops at its next cancellation check (an LLM call already
            # in flight finishes first) and ends in the background.
            config.cancellation.token.cancel()
            unfinished.add(run_task)
            run_task.add_done_callback(forget)
            status, body = timeout_result(settings.run_timeout_seconds)
        elif run_task.exception() is not None:
            logger.error("run raised", exc_info=run_task.exception())
            status, body = shape_result("failure", None, str(run_task.exception()), 0)
        else:
            result = run_task.result()
            error = result.error.message if result.error is not None else None
            status, body = shape_result(
                str(result.status.value), result.output, error, settings.run_timeout_seconds
            )
        elapsed = time.monotonic() - started
        if status == 200:
            logger.info("run answered in %.2f s", elapsed)
        else:
            logger.warning("run failed in %.2f s: %s", elapsed, body["error"]["message"])
            if request_id:
                body["error"]["request_id"] = request_id
        return JSONResponse(body, status_code=status)

    return app


def main(env: Any = os.environ) -> int:
    try:
        settings = Settings.from_env(env)
    except ConfigError as error:
        print(f"dynamiq-agent: configuration error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    uvicorn.run(
        create_app(settings),
        host="0.0.0.0",
        port=settings.port,
        proxy_headers=True,
        forwarded_allow_ips="*",
        log_level=settings.log_level.lower(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
