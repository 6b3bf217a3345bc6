"""Tests of app/handlers.py, standard library only:

    cd examples/presets/paddleocr-vl && python3 -m unittest discover -s app/tests -t .
"""

import json
import os
import tempfile
import threading
import unittest

from app import handlers
from app.handlers import MIB, Page, Settings, Upload, UploadError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
BMP = b"BM" + b"\x00" * 80
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


class FakeArray:
    """Stands in for a numpy array or scalar: anything with tolist()."""

    def __init__(self, value):
        self.value = value

    def tolist(self):
        return self.value


class SettingsTest(unittest.TestCase):
    def test_defaults(self):
        settings = Settings.from_env({})
        self.assertEqual(settings.max_upload_bytes, 20 * MIB)
        self.assertEqual(settings.max_pdf_pages, 10)
        self.assertEqual(settings.max_queued, 4)
        self.assertEqual(settings.cache_home, "/tmp/paddlex")
        self.assertEqual(
            settings.pipeline_kwargs(), {"pipeline_version": "v1.5", "device": "gpu:0"}
        )

    def test_from_env(self):
        settings = Settings.from_env(
            {
                "MAX_UPLOAD_MB": "50",
                "MAX_PDF_PAGES": "3",
                "MAX_QUEUED_REQUESTS": "0",
                "PADDLEOCR_VL_PIPELINE_VERSION": "v1",
                "PADDLEOCR_VL_USE_DOC_ORIENTATION_CLASSIFY": "true",
                "PADDLEOCR_VL_USE_DOC_UNWARPING": "0",
                "PADDLEOCR_VL_REC_BACKEND": "vllm-server",
                "PADDLEOCR_VL_REC_SERVER_URL": "https://vlm.example.com/v1",
                "PADDLEOCR_VL_REC_API_KEY": "slp_ak_secret",
            }
        )
        self.assertEqual(settings.max_upload_bytes, 50 * MIB)
        self.assertEqual(settings.max_pdf_pages, 3)
        self.assertEqual(settings.max_queued, 0)
        self.assertEqual(
            settings.pipeline_kwargs(),
            {
                "pipeline_version": "v1",
                "device": "gpu:0",
                "use_doc_orientation_classify": True,
                "use_doc_unwarping": False,
                "vl_rec_backend": "vllm-server",
                "vl_rec_server_url": "https://vlm.example.com/v1",
                "vl_rec_api_key": "slp_ak_secret",
            },
        )
        self.assertNotIn("slp_ak_secret", repr(settings))

    def test_default_leaves_the_argument_to_paddleocr(self):
        settings = Settings.from_env(
            {"PADDLEOCR_VL_PIPELINE_VERSION": "default", "PADDLEOCR_VL_DEVICE": "Default"}
        )
        self.assertEqual(settings.pipeline_kwargs(), {})

    def test_bad_values_are_refused_at_start(self):
        for env in (
            {"MAX_UPLOAD_MB": "lots"},
            {"MAX_UPLOAD_MB": "0"},
            {"MAX_QUEUED_REQUESTS": "-1"},
            {"PADDLEOCR_VL_USE_DOC_UNWARPING": "maybe"},
        ):
            with self.subTest(env=env), self.assertRaises(ValueError):
                Settings.from_env(env)


class CacheHomeTest(unittest.TestCase):
    def test_links_the_baked_models_into_a_writable_cache(self):
        with tempfile.TemporaryDirectory() as root:
            baked = os.path.join(root, "opt", "official_models")
            os.makedirs(os.path.join(baked, "PaddleOCR-VL-1.5"))
            cache = os.path.join(root, "tmp", "paddlex")
            link = handlers.prepare_cache_home(cache, baked)
            self.assertEqual(link, os.path.join(cache, "official_models"))
            self.assertTrue(os.path.islink(link))
            self.assertTrue(os.path.isdir(os.path.join(link, "PaddleOCR-VL-1.5")))
            # Idempotent: a second start (or a restart of the process) keeps the link.
            self.assertEqual(handlers.prepare_cache_home(cache, baked), link)

    def test_without_baked_models_only_the_cache_is_made(self):
        with tempfile.TemporaryDirectory() as root:
            cache = os.path.join(root, "paddlex")
            link = handlers.prepare_cache_home(cache, os.path.join(root, "missing"))
            self.assertTrue(os.path.isdir(cache))
            self.assertFalse(os.path.lexists(link))


class UploadTest(unittest.TestCase):
    def test_types_are_named_by_their_bytes(self):
        cases = [
            (PNG, "image/png", ".png"),
            (JPEG, "image/jpeg", ".jpg"),
            (BMP, "image/bmp", ".bmp"),
            (PDF, "application/pdf", ".pdf"),
            (b"\n\n" + PDF, "application/pdf", ".pdf"),
        ]
        for data, media_type, suffix in cases:
            with self.subTest(media_type=media_type):
                upload = handlers.validate_upload(data, "x", "application/octet-stream", MIB)
                self.assertEqual((upload.media_type, upload.suffix), (media_type, suffix))
                self.assertEqual(upload.size, len(data))

    def test_the_declared_type_may_be_missing_or_generic(self):
        for declared in (None, "", "application/octet-stream", "image/jpg", "image/jpeg; q=1"):
            with self.subTest(declared=declared):
                upload = handlers.validate_upload(JPEG, "scan.jpeg", declared, MIB)
                self.assertEqual(upload.media_type, "image/jpeg")

    def test_a_contradicting_declared_type_is_refused(self):
        with self.assertRaises(UploadError) as caught:
            handlers.validate_upload(PNG, "page.pdf", "application/pdf", MIB)
        self.assertEqual((caught.exception.status, caught.exception.code), (415, "type_mismatch"))

    def test_unsupported_empty_and_large_uploads(self):
        cases = [
            (b"GIF89a" + b"\x00" * 20, 415, "unsupported_type"),
            (b"RIFF\x00\x00\x00\x00WEBPVP8 ", 415, "unsupported_type"),
            (b"hello", 415, "unsupported_type"),
            (b"", 400, "empty"),
            (PNG + b"\x00" * 100, 413, "too_large"),
        ]
        for data, status, code in cases:
            with self.subTest(code=code, head=data[:6]):
                with self.assertRaises(UploadError) as caught:
                    handlers.validate_upload(data, "f", None, 100)
                self.assertEqual((caught.exception.status, caught.exception.code), (status, code))
                body = caught.exception.body()
                self.assertEqual(body["error"]["code"], code)
                json.dumps(body)

    def test_the_file_name_is_kept_without_its_directories(self):
        upload = handlers.validate_upload(PDF, "../../etc/report.pdf", None, MIB)
        self.assertEqual(upload.filename, "report.pdf")
        self.assertEqual(handlers.validate_upload(PDF, None, None, MIB).filename, "upload.pdf")
        self.assertTrue(upload.is_pdf)

    def test_declared_length(self):
        handlers.check_declared_length(None, 100)
        handlers.check_declared_length("100", 100)
        handlers.check_declared_length("150", 100, slack=50)
        with self.assertRaises(UploadError) as caught:
            handlers.check_declared_length("101", 100)
        self.assertEqual(caught.exception.status, 413)
        with self.assertRaises(UploadError) as caught:
            handlers.check_declared_length("ten", 100)
        self.assertEqual(caught.exception.status, 400)

    def test_size_limit_counts_chunks(self):
        limit = handlers.SizeLimit(10)
        limit.add(6)
        limit.add(4)
        with self.assertRaises(UploadError) as caught:
            limit.add(1)
        self.assertEqual(caught.exception.code, "too_large")

    def test_page_count(self):
        handlers.check_page_count(None, 1)
        handlers.check_page_count(10, 10)
        with self.assertRaises(UploadError) as caught:
            handlers.check_page_count(11, 10)
        self.assertEqual((caught.exception.status, caught.exception.code), (413, "too_many_pages"))

    def test_options(self):
        self.assertEqual(
            handlers.parse_options({}), {"format": "json", "raw": False, "images": False}
        )
        self.assertEqual(
            handlers.parse_options({"format": "Markdown", "raw": "true", "images": "1"}),
            {"format": "markdown", "raw": True, "images": True},
        )
        for query in ({"format": "html"}, {"raw": "yes please"}):
            with self.subTest(query=query), self.assertRaises(UploadError) as caught:
                handlers.parse_options(query)
            self.assertEqual(caught.exception.status, 400)


def vl_result(page_index, blocks):
    """What a PaddleOCR-VL result's `json` looks like: {"res": {..., parsing_res_list}}."""
    return {
        "res": {
            "input_path": "/tmp/paddleocr-vl/upload.pdf",
            "page_index": page_index,
            "model_settings": {"use_layout_detection": True},
            "parsing_res_list": blocks,
            "layout_det_res": {"boxes": [{"coordinate": FakeArray([1.5, 2.0, 3.0, 4.0])}]},
        }
    }


class ResponseTest(unittest.TestCase):
    upload = Upload(filename="report.pdf", media_type="application/pdf", suffix=".pdf", size=1234)

    def test_pages_blocks_and_combined_markdown(self):
        pages = [
            Page(
                markdown={"markdown_texts": "# Title\n\nFirst page.", "markdown_images": {}},
                json=vl_result(
                    0,
                    [
                        {
                            "block_label": "doc_title",
                            "block_content": "Title",
                            "block_bbox": FakeArray([10, 20, 300, 60]),
                        },
                        {"block_label": "text", "block_content": "First page.", "block_bbox": None},
                    ],
                ),
            ),
            Page(
                markdown={"markdown_texts": "Second page."},
                json=vl_result(1, [{"block_label": "text", "block_content": "Second page."}]),
            ),
        ]
        answer = handlers.build_response(
            self.upload,
            pages,
            "# Title\n\nFirst page. Second page.",
            elapsed_seconds=1.2345,
            pipeline_version="v1.5",
        )
        self.assertEqual(answer["filename"], "report.pdf")
        self.assertEqual(answer["media_type"], "application/pdf")
        self.assertEqual(answer["page_count"], 2)
        self.assertEqual(answer["elapsed_ms"], 1234)
        self.assertEqual(answer["pipeline_version"], "v1.5")
        self.assertEqual(answer["markdown"], "# Title\n\nFirst page. Second page.")
        self.assertEqual([p["page"] for p in answer["pages"]], [1, 2])
        self.assertEqual(answer["pages"][0]["markdown"], "# Title\n\nFirst page.")
        self.assertEqual(
            answer["pages"][0]["blocks"][0],
            {"label": "doc_title", "content": "Title", "bbox": [10, 20, 300, 60]},
        )
        self.assertNotIn("result", answer["pages"][0])
        self.assertNotIn("images", answer["pages"][0])
        json.dumps(answer)

    def test_pages_are_joined_when_there_is_no_combined_markdown(self):
        pages = [Page(markdown="one", json=vl_result(0, [])), Page(markdown="", json=None)]
        answer = handlers.build_response(
            self.upload, pages, None, elapsed_seconds=0, pipeline_version=None
        )
        self.assertEqual(answer["markdown"], "one")
        self.assertEqual(answer["pages"][1]["page"], 2)

    def test_markdown_falls_back_to_the_blocks(self):
        page = Page(
            markdown=None,
            json=vl_result(
                None,
                [
                    {"block_label": "text", "block_content": "alpha"},
                    {"block_label": "image", "block_content": ""},
                    {"block_label": "text", "block_content": "beta"},
                ],
            ),
        )
        answer = handlers.build_response(
            Upload("scan.png", "image/png", ".png", 10),
            [page],
            elapsed_seconds=0.5,
            pipeline_version="v1.5",
        )
        self.assertEqual(answer["pages"][0]["markdown"], "alpha\n\nbeta")
        self.assertEqual(answer["markdown"], "alpha\n\nbeta")
        self.assertEqual(answer["pages"][0]["page"], 1)

    def test_raw_results_and_images_on_request(self):
        page = Page(
            markdown={"markdown_texts": "![](imgs/fig.jpg)"},
            json=vl_result(0, []),
            images={"imgs/fig.jpg": b"\x89PNG"},
        )
        answer = handlers.build_response(
            self.upload, [page], elapsed_seconds=0, pipeline_version="v1.5", raw=True, images=True
        )
        view = answer["pages"][0]
        self.assertEqual(view["images"], {"imgs/fig.jpg": "iVBORw=="})
        self.assertEqual(
            view["result"]["res"]["layout_det_res"]["boxes"][0]["coordinate"],
            [1.5, 2.0, 3.0, 4.0],
        )
        json.dumps(answer)

    def test_to_jsonable(self):
        value = {
            1: (FakeArray(3), float("nan"), float("inf"), 2.5),
            "image": object(),
            "bytes": b"\x00",
            "nested": [{"ok": True, "none": None}],
        }
        self.assertEqual(
            handlers.to_jsonable(value),
            {
                "1": [3, None, None, 2.5],
                "image": None,
                "bytes": None,
                "nested": [{"ok": True, "none": None}],
            },
        )

    def test_markdown_text(self):
        self.assertEqual(handlers.markdown_text(None), "")
        self.assertEqual(handlers.markdown_text("x"), "x")
        self.assertEqual(handlers.markdown_text({"markdown_texts": ["a", "b"]}), "a\n\nb")
        self.assertEqual(handlers.markdown_text({"other": 1}), "")


class HealthTest(unittest.TestCase):
    def test_loading_then_ready(self):
        now = [100.0]
        state = handlers.HealthState(clock=lambda: now[0])
        now[0] = 142.0
        self.assertEqual(state.response(), (503, {"status": "loading", "waited_seconds": 42.0}))
        state.mark_ready()
        self.assertEqual(state.status, "ready")
        self.assertEqual(state.response(), (200, {"status": "ready", "load_seconds": 42.0}))

    def test_failed(self):
        state = handlers.HealthState()
        state.mark_failed("RuntimeError: no GPU")
        self.assertEqual(
            state.response(), (503, {"status": "failed", "error": "RuntimeError: no GPU"})
        )

    def test_503_errors_for_busy_and_loading(self):
        self.assertEqual((handlers.busy().status, handlers.busy().code), (503, "busy"))
        self.assertEqual(handlers.not_ready().code, "loading")


class AdmissionTest(unittest.TestCase):
    def test_bounds_requests_inside(self):
        admission = handlers.Admission(2)
        self.assertTrue(admission.try_enter())
        self.assertTrue(admission.try_enter())
        self.assertFalse(admission.try_enter())
        admission.leave()
        self.assertTrue(admission.try_enter())
        self.assertEqual(admission.inside, 2)
        for _ in range(5):
            admission.leave()
        self.assertEqual(admission.inside, 0)

    def test_is_thread_safe(self):
        admission = handlers.Admission(3)
        entered = []
        barrier = threading.Barrier(16)

        def enter():
            barrier.wait()
            entered.append(admission.try_enter())

        threads = [threading.Thread(target=enter) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(entered.count(True), 3)

    def test_needs_room_for_one(self):
        with self.assertRaises(ValueError):
            handlers.Admission(0)


if __name__ == "__main__":
    unittest.main()
