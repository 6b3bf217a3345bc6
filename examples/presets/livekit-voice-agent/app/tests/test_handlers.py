"""Unit tests of app.handlers and of app.main's worker loop: standard library only.

LiveKit Agents is not needed: the worker loop runs against a fake AgentServer.
Run from the preset directory: python3 -m unittest discover -s app/tests -t .
"""

import asyncio
import json
import unittest
import urllib.error
import urllib.request

from app.handlers import (
    DEFAULT_GREETING,
    DEFAULT_INSTRUCTIONS,
    ConfigError,
    HealthServer,
    Settings,
    WorkerHealth,
)
from app.main import run_worker

REQUIRED = {
    "LIVEKIT_URL": "wss://example.livekit.cloud",
    "LIVEKIT_API_KEY": "APIkey",
    "LIVEKIT_API_SECRET": "secret-value",
    "OPENAI_API_KEY": "sk-test",
}


def settings(**overrides):
    return Settings.from_env({**REQUIRED, **overrides})


class SettingsTest(unittest.TestCase):
    def test_defaults_need_only_the_url_and_the_secrets(self):
        s = settings()
        self.assertEqual(s.livekit_url, "wss://example.livekit.cloud")
        self.assertEqual((s.port, s.worker_port), (8080, 8081))
        self.assertEqual(
            (s.llm_model, s.stt_model, s.tts_model, s.tts_voice, s.stt_language),
            ("gpt-4.1-mini", "gpt-4o-mini-transcribe", "gpt-4o-mini-tts", "ash", "en"),
        )
        self.assertEqual((s.instructions, s.greeting), (DEFAULT_INSTRUCTIONS, DEFAULT_GREETING))
        self.assertEqual((s.drain_timeout_seconds, s.num_idle_processes), (50, 1))

    def test_reads_every_variable(self):
        s = settings(
            PORT="9000",
            LIVEKIT_WORKER_PORT="9001",
            OPENAI_LLM_MODEL="gpt-4o",
            OPENAI_STT_MODEL="whisper-1",
            STT_LANGUAGE="de",
            OPENAI_TTS_MODEL="tts-1",
            OPENAI_TTS_VOICE="coral",
            AGENT_INSTRUCTIONS="Be brief.",
            AGENT_GREETING="Say hello.",
            DRAIN_TIMEOUT_SECONDS="280",
            NUM_IDLE_PROCESSES="0",
            LOG_LEVEL="warning",
        )
        self.assertEqual(
            (s.port, s.worker_port, s.llm_model, s.stt_model), (9000, 9001, "gpt-4o", "whisper-1")
        )
        self.assertEqual((s.stt_language, s.tts_model, s.tts_voice), ("de", "tts-1", "coral"))
        self.assertEqual((s.instructions, s.greeting), ("Be brief.", "Say hello."))
        self.assertEqual(
            (s.drain_timeout_seconds, s.num_idle_processes, s.log_level), (280, 0, "WARNING")
        )

    def test_an_empty_greeting_turns_the_greeting_off(self):
        self.assertEqual(settings(AGENT_GREETING="").greeting, "")
        self.assertEqual(settings(AGENT_INSTRUCTIONS="").instructions, DEFAULT_INSTRUCTIONS)

    def test_accepts_every_livekit_url_scheme(self):
        for url in ("ws://localhost:7880", "wss://x.livekit.cloud", "http://lk:7880", "https://lk"):
            self.assertEqual(settings(LIVEKIT_URL=url).livekit_url, url)

    def test_refuses_a_bad_url(self):
        for url in ("localhost:7880", "ftp://lk", "wss://", "livekit"):
            with self.assertRaisesRegex(ConfigError, "LIVEKIT_URL must be"):
                settings(LIVEKIT_URL=url)

    def test_names_every_missing_secret_at_once(self):
        with self.assertRaises(ConfigError) as caught:
            Settings.from_env({"LIVEKIT_API_KEY": "  "})
        message = str(caught.exception)
        for name in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "OPENAI_API_KEY"):
            self.assertIn(f"{name} is not set", message)

    def test_refuses_bad_numbers_and_a_port_clash(self):
        cases = {
            "PORT": ("0", "PORT must be from 1 to 65535"),
            "DRAIN_TIMEOUT_SECONDS": ("soon", "DRAIN_TIMEOUT_SECONDS must be a whole number"),
            "NUM_IDLE_PROCESSES": ("99", "NUM_IDLE_PROCESSES must be from 0 to 16"),
            "LOG_LEVEL": ("chatty", "LOG_LEVEL must be one of"),
        }
        for name, (value, message) in cases.items():
            with self.assertRaisesRegex(ConfigError, message):
                settings(**{name: value})
        with self.assertRaisesRegex(ConfigError, "must differ from PORT"):
            settings(PORT="8081")

    def test_secrets_stay_out_of_repr(self):
        shown = repr(settings())
        for secret in ("APIkey", "secret-value", "sk-test"):
            self.assertNotIn(secret, shown)


class WorkerHealthTest(unittest.TestCase):
    def setUp(self):
        self.now = 10.0
        self.health = WorkerHealth(clock=lambda: self.now)

    def status(self):
        code, body = self.health.snapshot()
        return code, body["status"]

    def test_only_a_registered_worker_is_ready(self):
        self.assertEqual(self.status(), (503, "starting"))
        self.health.connecting()
        self.assertEqual(self.status(), (503, "connecting"))
        self.now += 4
        self.health.registered("AW_1")
        self.now += 0.5
        code, body = self.health.snapshot()
        self.assertEqual(code, 200)
        self.assertEqual(body, {"status": "ready", "worker_id": "AW_1", "seconds_in_status": 0.5})

    def test_a_reregistration_keeps_it_ready_with_the_new_id(self):
        self.health.registered("AW_1")
        self.health.connecting()  # a late start event does not undo registration
        self.health.registered("AW_2")
        code, body = self.health.snapshot()
        self.assertEqual((code, body["worker_id"]), (200, "AW_2"))

    def test_draining_then_stopped(self):
        self.health.registered("AW_1")
        self.health.draining()
        self.assertEqual(self.status(), (503, "draining"))
        self.health.registered("AW_1")  # a reconnect while draining does not make it ready
        self.assertEqual(self.status(), (503, "draining"))
        self.health.stopped()
        self.assertEqual(self.status(), (503, "stopped"))

    def test_failed_is_final_and_says_why(self):
        self.health.registered("AW_1")
        self.health.failed("connection lost")
        self.health.registered("AW_2")
        self.health.stopped()
        self.health.failed("something else")
        code, body = self.health.snapshot()
        self.assertEqual((code, body["status"], body["reason"]), (503, "failed", "connection lost"))


class HealthServerTest(unittest.TestCase):
    def setUp(self):
        self.health = WorkerHealth()
        self.server = HealthServer(self.health, host="127.0.0.1", port=0)
        self.server.start()
        self.addCleanup(self.server.stop)

    def get(self, path, method="GET"):
        url = f"http://127.0.0.1:{self.server.port}{path}"
        request = urllib.request.Request(url, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    def test_answers_503_until_the_worker_is_registered_then_200(self):
        status, headers, body = self.get("/health")
        self.assertEqual((status, json.loads(body)["status"]), (503, "starting"))
        self.assertEqual(headers["Content-Type"], "application/json")
        self.health.registered("AW_9")
        status, _, body = self.get("/health?probe=1")
        self.assertEqual((status, json.loads(body)["worker_id"]), (200, "AW_9"))
        self.health.failed("gone")
        status, _, body = self.get("/health")
        self.assertEqual((status, json.loads(body)["reason"]), (503, "gone"))

    def test_head_has_no_body_and_other_paths_are_404(self):
        self.health.registered("AW_9")
        status, headers, body = self.get("/health", method="HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertGreater(int(headers["Content-Length"]), 0)
        status, _, body = self.get("/")
        self.assertEqual((status, json.loads(body)["error"]["code"]), (404, "not_found"))


class FakeServer:
    """Just what run_worker uses of livekit.agents.AgentServer: on, run, drain, aclose."""

    def __init__(self, fail_after_register=None, drain_error=None):
        self.handlers = {}
        self.calls = []
        self.fail_after_register = fail_after_register
        self.drain_error = drain_error
        self.closed = None

    def on(self, event, callback):
        self.handlers[event] = callback

    async def run(self, devmode):
        self.calls.append(("run", devmode))
        self.closed = asyncio.get_running_loop().create_future()
        self.handlers["worker_started"]()
        await asyncio.sleep(0)
        self.handlers["worker_registered"]("AW_fake", object())
        if self.fail_after_register:
            raise self.fail_after_register
        await self.closed

    async def drain(self):
        self.calls.append("drain")
        if self.drain_error:
            raise self.drain_error

    async def aclose(self):
        self.calls.append("aclose")
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(None)


class RunWorkerTest(unittest.TestCase):
    def test_stop_drains_then_closes(self):
        health = WorkerHealth()
        server = FakeServer()
        seen = []

        async def scenario():
            stop = asyncio.Event()
            task = asyncio.ensure_future(run_worker(server, health, stop))
            for _ in range(5):
                await asyncio.sleep(0)
            seen.append(health.snapshot())
            stop.set()
            return await task

        self.assertEqual(asyncio.run(scenario()), 0)
        self.assertEqual(seen[0][0], 200)
        self.assertEqual(seen[0][1]["worker_id"], "AW_fake")
        self.assertEqual(server.calls, [("run", False), "drain", "aclose"])
        self.assertEqual(health.status, "stopped")

    def test_a_drain_timeout_still_closes(self):
        health = WorkerHealth()
        server = FakeServer(drain_error=asyncio.TimeoutError())

        async def scenario():
            stop = asyncio.Event()
            stop.set()
            return await run_worker(server, health, stop)

        with self.assertLogs("voice_agent", level="WARNING") as logs:
            self.assertEqual(asyncio.run(scenario()), 0)
        self.assertIn("drain timed out", logs.output[-1])
        self.assertEqual(server.calls[-2:], ["drain", "aclose"])

    def test_a_dead_worker_fails_health_and_exits_1(self):
        health = WorkerHealth()
        server = FakeServer(fail_after_register=RuntimeError("failed to connect to livekit"))
        with self.assertLogs("voice_agent", level="ERROR"):
            code = asyncio.run(run_worker(server, health, asyncio.Event()))
        self.assertEqual(code, 1)
        status, body = health.snapshot()
        self.assertEqual((status, body["status"]), (503, "failed"))
        self.assertIn("failed to connect to livekit", body["reason"])
        self.assertEqual(server.calls, [("run", False), "aclose"])


if __name__ == "__main__":
    unittest.main()
