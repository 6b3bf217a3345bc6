"""Unit tests of app.handlers: standard library only (Dynamiq and FastAPI are not needed).

Run from the preset directory: python3 -m unittest discover -s app/tests -t .
"""

import json
import unittest

from app.handlers import (
    DEFAULT_MODEL,
    DEFAULT_ROLE,
    ConfigError,
    HealthState,
    RequestError,
    Settings,
    error_body,
    parse_run_request,
    shape_result,
    timeout_result,
)

KEY = {"OPENAI_API_KEY": "sk-test"}


def settings(**overrides):
    return Settings.from_env({**KEY, **overrides})


class SettingsTest(unittest.TestCase):
    def test_defaults_need_only_the_key(self):
        s = settings()
        self.assertEqual(s.openai_api_key, "sk-test")
        self.assertEqual(s.model, DEFAULT_MODEL)
        self.assertEqual(s.role, DEFAULT_ROLE)
        self.assertEqual((s.max_loops, s.port, s.log_level), (5, 8080, "INFO"))
        self.assertEqual(s.run_timeout_seconds, 55.0)

    def test_reads_every_variable(self):
        s = settings(
            OPENAI_MODEL="gpt-4o",
            AGENT_ROLE="A pirate.",
            AGENT_MAX_LOOPS="3",
            OPENAI_TEMPERATURE="0",
            MAX_INPUT_CHARS="100",
            MAX_BODY_BYTES="2048",
            RUN_TIMEOUT_SECONDS="12.5",
            PORT="9000",
            LOG_LEVEL="debug",
        )
        self.assertEqual(
            (s.model, s.role, s.max_loops, s.temperature, s.max_input_chars, s.max_body_bytes),
            ("gpt-4o", "A pirate.", 3, 0.0, 100, 2048),
        )
        self.assertEqual((s.run_timeout_seconds, s.port, s.log_level), (12.5, 9000, "DEBUG"))

    def test_blank_values_fall_back_to_defaults(self):
        s = settings(OPENAI_MODEL="  ", AGENT_ROLE="", PORT="")
        self.assertEqual((s.model, s.role, s.port), (DEFAULT_MODEL, DEFAULT_ROLE, 8080))

    def test_a_missing_key_is_refused(self):
        with self.assertRaisesRegex(ConfigError, "OPENAI_API_KEY is not set"):
            Settings.from_env({})
        with self.assertRaisesRegex(ConfigError, "OPENAI_API_KEY"):
            Settings.from_env({"OPENAI_API_KEY": "   "})

    def test_every_problem_is_named_at_once(self):
        with self.assertRaises(ConfigError) as caught:
            Settings.from_env(
                {
                    "AGENT_MAX_LOOPS": "1",
                    "PORT": "http",
                    "OPENAI_TEMPERATURE": "nan",
                    "LOG_LEVEL": "loud",
                }
            )
        message = str(caught.exception)
        names = ("OPENAI_API_KEY", "AGENT_MAX_LOOPS", "PORT", "OPENAI_TEMPERATURE", "LOG_LEVEL")
        for name in names:
            self.assertIn(name, message)

    def test_the_key_stays_out_of_repr(self):
        self.assertNotIn("sk-test", repr(settings()))


class ParseRunRequestTest(unittest.TestCase):
    def setUp(self):
        self.settings = settings(MAX_INPUT_CHARS="10", MAX_BODY_BYTES="1024")

    def refused(self, body):
        with self.assertRaises(RequestError) as caught:
            parse_run_request(body, self.settings)
        return caught.exception.status, caught.exception.code

    def test_answers_the_input(self):
        self.assertEqual(parse_run_request(b'{"input": "hello"}', self.settings), "hello")

    def test_ignores_other_fields(self):
        body = json.dumps({"input": "hi", "session": 1}).encode()
        self.assertEqual(parse_run_request(body, self.settings), "hi")

    def test_accepts_utf8(self):
        body = json.dumps({"input": "grüß dich"}, ensure_ascii=False).encode()
        self.assertEqual(parse_run_request(body, self.settings), "grüß dich")

    def test_refuses_what_is_not_a_json_object(self):
        for body in (b"", b"input=hi", b"[1]", b'"hi"', b"\xff\xfe", b"null"):
            self.assertEqual(self.refused(body), (400, "invalid_json"), body)

    def test_refuses_a_missing_or_blank_or_non_string_input(self):
        for body in (b"{}", b'{"prompt": "hi"}', b'{"input": 3}', b'{"input": null}'):
            self.assertEqual(self.refused(body), (400, "invalid_input"), body)
        self.assertEqual(self.refused(b'{"input": "  \\n "}'), (400, "invalid_input"))

    def test_refuses_long_inputs_and_large_bodies(self):
        self.assertEqual(self.refused(b'{"input": "01234567890"}'), (413, "input_too_long"))
        self.assertEqual(parse_run_request(b'{"input": "0123456789"}', self.settings), "0123456789")
        big = json.dumps({"input": "x", "pad": "y" * 2000}).encode()
        self.assertEqual(self.refused(big), (413, "payload_too_large"))


class ShapeResultTest(unittest.TestCase):
    def test_success_answers_the_content(self):
        self.assertEqual(
            shape_result("success", {"content": "42"}, None, 55), (200, {"output": "42"})
        )

    def test_structured_content_is_sent_as_json_text(self):
        status, body = shape_result("success", {"content": {"a": [1, 2]}}, None, 55)
        self.assertEqual((status, json.loads(body["output"])), (200, {"a": [1, 2]}))

    def test_success_without_an_answer_is_a_bad_gateway(self):
        for output in (None, {}, {"content": None}, {"content": "  "}, "text"):
            status, body = shape_result("success", output, None, 55)
            self.assertEqual((status, body["error"]["code"]), (502, "empty_answer"), output)

    def test_failure_passes_the_error_on(self):
        status, body = shape_result("failure", None, "rate limited", 55)
        self.assertEqual(status, 502)
        self.assertEqual(body, {"error": {"code": "agent_failed", "message": "rate limited"}})
        status, body = shape_result("skip", None, None, 55)
        self.assertEqual((status, body["error"]["message"]), (502, "the agent run ended as skip"))

    def test_canceled_is_a_timeout(self):
        self.assertEqual(shape_result("canceled", None, None, 55), timeout_result(55))
        status, body = timeout_result(12.5)
        self.assertEqual((status, body["error"]["code"]), (504, "timeout"))
        self.assertIn("12.5 s", body["error"]["message"])

    def test_error_body_carries_the_request_id_when_known(self):
        self.assertEqual(error_body("c", "m"), {"error": {"code": "c", "message": "m"}})
        self.assertEqual(error_body("c", "m", "r-1")["error"]["request_id"], "r-1")


class HealthStateTest(unittest.TestCase):
    def setUp(self):
        self.now = 100.0
        self.health = HealthState(clock=lambda: self.now)

    def test_starting_then_ready_then_stopping(self):
        status, body = self.health.snapshot()
        self.assertEqual((status, body["status"]), (503, "starting"))
        self.now += 2
        self.health.ready(model="gpt-4.1-mini")
        self.now += 1.5
        status, body = self.health.snapshot()
        self.assertEqual(status, 200)
        self.assertEqual(
            body, {"status": "ready", "model": "gpt-4.1-mini", "seconds_in_status": 1.5}
        )
        self.health.stopping()
        status, body = self.health.snapshot()
        self.assertEqual((status, body["status"], body["model"]), (503, "stopping", "gpt-4.1-mini"))

    def test_failed_says_why_and_stays_failed(self):
        self.health.failed("no model")
        self.health.stopping()
        status, body = self.health.snapshot()
        self.assertEqual((status, body["status"], body["reason"]), (503, "failed", "no model"))


if __name__ == "__main__":
    unittest.main()
