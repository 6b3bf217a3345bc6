"""Configuration, worker health state and the health server of the voice agent.

Standard library only: `app/main.py` and `app/agent.py` wire these into LiveKit Agents, and
the unit tests exercise them without it installed.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

DEFAULT_INSTRUCTIONS = (
    "You are a friendly voice assistant. Keep answers short and conversational, and do not "
    "use emojis, markdown or lists: everything you say is spoken aloud."
)
DEFAULT_GREETING = "Greet the user in one short sentence and ask how you can help."
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
URL_SCHEMES = ("wss", "ws", "https", "http")


class ConfigError(ValueError):
    """The environment does not describe a runnable worker; the message lists every problem."""


@dataclass(frozen=True)
class Settings:
    """Everything the worker and its jobs read from the environment."""

    livekit_url: str
    livekit_api_key: str = field(repr=False)
    livekit_api_secret: str = field(repr=False)
    openai_api_key: str = field(repr=False)
    port: int = 8080
    worker_port: int = 8081
    llm_model: str = "gpt-4.1-mini"
    stt_model: str = "gpt-4o-mini-transcribe"
    stt_language: str = "en"
    tts_model: str = "gpt-4o-mini-tts"
    tts_voice: str = "ash"
    instructions: str = DEFAULT_INSTRUCTIONS
    greeting: str = DEFAULT_GREETING
    drain_timeout_seconds: int = 50
    num_idle_processes: int = 1
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        problems: list[str] = []
        url = env.get("LIVEKIT_URL", "").strip()
        if not url:
            problems.append("LIVEKIT_URL is not set (e.g. wss://my-project.livekit.cloud)")
        else:
            parts = urlsplit(url)
            if parts.scheme not in URL_SCHEMES or not parts.netloc:
                problems.append(
                    f"LIVEKIT_URL must be a ws://, wss://, http:// or https:// URL (got {url!r})"
                )
        secrets = {}
        for name in ("LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "OPENAI_API_KEY"):
            secrets[name] = env.get(name, "").strip()
            if not secrets[name]:
                problems.append(f"{name} is not set (deploy it as a secret)")
        port = _integer(env, "PORT", 8080, 1, 65535, problems)
        worker_port = _integer(env, "LIVEKIT_WORKER_PORT", 8081, 1, 65535, problems)
        if port == worker_port:
            problems.append(f"LIVEKIT_WORKER_PORT must differ from PORT (both are {port})")
        drain = _integer(env, "DRAIN_TIMEOUT_SECONDS", 50, 1, 3600, problems)
        idle = _integer(env, "NUM_IDLE_PROCESSES", 1, 0, 16, problems)
        log_level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {log_level!r})")
        if problems:
            raise ConfigError("; ".join(problems))

        def text(name: str, default: str) -> str:
            return env.get(name, "").strip() or default

        return cls(
            livekit_url=url,
            livekit_api_key=secrets["LIVEKIT_API_KEY"],
            livekit_api_secret=secrets["LIVEKIT_API_SECRET"],
            openai_api_key=secrets["OPENAI_API_KEY"],
            port=port,
            worker_port=worker_port,
            llm_model=text("OPENAI_LLM_MODEL", cls.llm_model),
            stt_model=text("OPENAI_STT_MODEL", cls.stt_model),
            stt_language=text("STT_LANGUAGE", cls.stt_language),
            tts_model=text("OPENAI_TTS_MODEL", cls.tts_model),
            tts_voice=text("OPENAI_TTS_VOICE", cls.tts_voice),
            instructions=text("AGENT_INSTRUCTIONS", DEFAULT_INSTRUCTIONS),
            # Set but empty means "no greeting": the agent waits for the user to speak first.
            greeting=env["AGENT_GREETING"].strip() if "AGENT_GREETING" in env else DEFAULT_GREETING,
            drain_timeout_seconds=drain,
            num_idle_processes=idle,
            log_level=log_level,
        )


def _integer(
    env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number (got {raw!r})")
        return default
    if not low <= value <= high:
        problems.append(f"{name} must be from {low} to {high} (got {value})")
    return value


class WorkerHealth:
    """The worker's life as `GET /health` reports it.

    starting -> connecting (the worker runs and dials LiveKit) -> ready (registered: LiveKit can
    dispatch jobs to it) -> draining (SIGTERM: no new jobs, calls in progress finish) ->
    stopped; or failed (the worker died) from any state. Only `ready` answers 200.
    """

    TERMINAL = ("stopped", "failed")

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._status = "starting"
        self._since = clock()
        self._worker_id: str | None = None
        self._reason: str | None = None

    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    def _move(self, status: str, allowed_from: tuple[str, ...]) -> bool:
        with self._lock:
            if self._status not in allowed_from:
                return False
            self._status, self._since = status, self._clock()
            return True

    def connecting(self) -> None:
        self._move("connecting", ("starting",))

    def registered(self, worker_id: str = "") -> None:
        # LiveKit may register the worker again after a reconnect: still ready, new id.
        if self._move("ready", ("starting", "connecting", "ready")):
            with self._lock:
                self._worker_id = worker_id or None

    def draining(self) -> None:
        self._move("draining", ("starting", "connecting", "ready"))

    def stopped(self) -> None:
        self._move("stopped", ("starting", "connecting", "ready", "draining"))

    def failed(self, reason: str) -> None:
        with self._lock:
            if self._status != "failed":
                self._status, self._since, self._reason = "failed", self._clock(), reason

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            body: dict[str, Any] = {"status": self._status}
            if self._worker_id:
                body["worker_id"] = self._worker_id
            if self._reason:
                body["reason"] = self._reason
            body["seconds_in_status"] = round(self._clock() - self._since, 3)
            return (200 if self._status == "ready" else 503), body


class HealthServer:
    """`GET /health` on its own thread, so it answers while the worker's event loop is busy."""

    def __init__(self, health: WorkerHealth, host: str = "0.0.0.0", port: int = 8080) -> None:
        self._health = health
        self._server = ThreadingHTTPServer((host, port), _handler_for(health))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


def _handler_for(health: WorkerHealth) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "voice-agent-health"

        def _answer(self, with_body: bool) -> None:
            if urlsplit(self.path).path == "/health":
                status, body = health.snapshot()
            else:
                status = 404
                body = {"error": {"code": "not_found", "message": "only GET /health is served"}}
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if with_body:
                self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(with_body=False)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # readiness probes every few seconds would drown the worker's own logs

    return Handler
