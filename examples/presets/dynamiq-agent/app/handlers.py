"""Configuration, request validation, response shaping and health state of the agent service.

Standard library only: `app/main.py` wires these into FastAPI and Dynamiq, and the unit tests
exercise them without either installed.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

DEFAULT_MODEL = "gpt-4.1-mini"
DEFAULT_ROLE = (
    "You are a helpful assistant. Answer the user's request accurately and concisely, "
    "and say so when you do not know."
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """The environment does not describe a runnable service; the message lists every problem."""


class RequestError(Exception):
    """A request the service refuses: an HTTP status, a machine-readable code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, read once at start."""

    openai_api_key: str = field(repr=False)
    model: str = DEFAULT_MODEL
    role: str = DEFAULT_ROLE
    max_loops: int = 5
    temperature: float = 0.2
    max_input_chars: int = 8000
    max_body_bytes: int = 65536
    run_timeout_seconds: float = 55.0
    port: int = 8080
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        problems: list[str] = []
        key = env.get("OPENAI_API_KEY", "").strip()
        if not key:
            problems.append("OPENAI_API_KEY is not set (deploy it as a secret)")
        model = env.get("OPENAI_MODEL", "").strip() or DEFAULT_MODEL
        role = env.get("AGENT_ROLE", "").strip() or DEFAULT_ROLE
        max_loops = _integer(env, "AGENT_MAX_LOOPS", 5, 2, 50, problems)
        temperature = _number(env, "OPENAI_TEMPERATURE", 0.2, 0.0, 2.0, problems)
        max_input_chars = _integer(env, "MAX_INPUT_CHARS", 8000, 1, 1_000_000, problems)
        max_body_bytes = _integer(env, "MAX_BODY_BYTES", 65536, 1024, 16_777_216, problems)
        run_timeout = _number(env, "RUN_TIMEOUT_SECONDS", 55.0, 1.0, 3600.0, problems)
        port = _integer(env, "PORT", 8080, 1, 65535, problems)
        log_level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {log_level!r})")
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(
            openai_api_key=key,
            model=model,
            role=role,
            max_loops=max_loops,
            temperature=temperature,
            max_input_chars=max_input_chars,
            max_body_bytes=max_body_bytes,
            run_timeout_seconds=run_timeout,
            port=port,
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


def _number(
    env: Mapping[str, str], name: str, default: float, low: float, high: float, problems: list[str]
) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number (got {raw!r})")
        return default
    if not low <= value <= high:  # also false for nan
        problems.append(f"{name} must be from {low:g} to {high:g} (got {raw})")
    return value


def parse_run_request(body: bytes, settings: Settings) -> str:
    """The `input` of a `POST /run` body (`{"input": "..."}`), or a RequestError saying why not."""
    if len(body) > settings.max_body_bytes:
        raise RequestError(
            413, "payload_too_large", f"the body is larger than {settings.max_body_bytes} bytes"
        )
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise RequestError(
            400, "invalid_json", 'the body must be a JSON object like {"input": "..."}'
        ) from None
    if not isinstance(payload, dict):
        raise RequestError(
            400, "invalid_json", 'the body must be a JSON object like {"input": "..."}'
        )
    if "input" not in payload:
        raise RequestError(400, "invalid_input", '"input" is required')
    text = payload["input"]
    if not isinstance(text, str):
        raise RequestError(400, "invalid_input", '"input" must be a string')
    if not text.strip():
        raise RequestError(400, "invalid_input", '"input" must not be empty')
    if len(text) > settings.max_input_chars:
        raise RequestError(
            413,
            "input_too_long",
            f'"input" has {len(text)} characters; at most {settings.max_input_chars} are accepted',
        )
    return text


def error_body(code: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    """Failures in the platform's shape: {"error": {"code", "message", "request_id"}}."""
    error: dict[str, Any] = {"code": code, "message": message}
    if request_id:
        error["request_id"] = request_id
    return {"error": error}


def timeout_result(timeout_seconds: float) -> tuple[int, dict[str, Any]]:
    return 504, error_body("timeout", f"the agent did not finish within {timeout_seconds:g} s")


def shape_result(
    status: str, output: Any, error_message: str | None, timeout_seconds: float
) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body for an agent run's outcome.

    `status` is the run's status value (Dynamiq's RunnableStatus: success, failure, skip,
    canceled), `output` its output (a dict with `content` on success).
    """
    if status == "success":
        content = output.get("content") if isinstance(output, dict) else None
        if content is None or (isinstance(content, str) and not content.strip()):
            return 502, error_body("empty_answer", "the agent finished without an answer")
        if not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False, default=str)
        return 200, {"output": content}
    if status == "canceled":
        return timeout_result(timeout_seconds)
    return 502, error_body("agent_failed", error_message or f"the agent run ended as {status}")


class HealthState:
    """What `GET /health` answers: 503 until the agent is built, 200 while serving, 503 after."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._status = "starting"
        self._reason: str | None = None
        self._since = clock()
        self._details: dict[str, Any] = {}

    def ready(self, **details: Any) -> None:
        self._set("ready", None, details)

    def failed(self, reason: str) -> None:
        self._set("failed", reason, None)

    def stopping(self) -> None:
        with self._lock:
            if self._status != "failed":
                self._status, self._since = "stopping", self._clock()

    def _set(self, status: str, reason: str | None, details: dict[str, Any] | None) -> None:
        with self._lock:
            self._status, self._reason, self._since = status, reason, self._clock()
            if details is not None:
                self._details = dict(details)

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            body: dict[str, Any] = {"status": self._status, **self._details}
            if self._reason:
                body["reason"] = self._reason
            body["seconds_in_status"] = round(self._clock() - self._since, 3)
            return (200 if self._status == "ready" else 503), body
