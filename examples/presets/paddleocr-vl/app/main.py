"""PaddleOCR-VL over HTTP.

POST /ocr   an image (PNG, JPEG, BMP) or a PDF, as the multipart field `file` or as the raw
            body; answers the document's Markdown and its blocks per page as JSON
            (`?format=markdown` for the Markdown alone).
GET /health 200 once the pipeline has loaded, 503 while it loads: the readiness probe.

The pipeline loads in a background thread at start, so /health answers while the model
loads. One document is processed at a time (the pipeline is not thread-safe); up to
MAX_QUEUED_REQUESTS more wait for it and the rest are answered 503. Validation and the shape
of the answers live in app/handlers.py (standard library only, unit-tested).

Run it with `opentelemetry-instrument uvicorn app.main:app` (see the Dockerfile): requests
become traces sent to the OTLP endpoint Slipway injects.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import tempfile
import threading
import time
from contextlib import asynccontextmanager, nullcontext
from typing import Any, Dict, List, Optional, Tuple

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from app import handlers

logging.basicConfig(
    level=logging.INFO,
    stream=sys.stdout,
    format="%(asctime)s %(levelname)s %(name)s %(message)s",
)
log = logging.getLogger("paddleocr_vl")
# Probes ask /health every few seconds; keep them out of the access log.
logging.getLogger("uvicorn.access").addFilter(lambda record: "/health" not in record.getMessage())

settings = handlers.Settings.from_env(os.environ)
health = handlers.HealthState()
admission = handlers.Admission(1 + settings.max_queued)
_predict_lock = threading.Lock()
_pipeline: Any = None

try:  # present in the image (opentelemetry-distro); optional when run without it
    from opentelemetry import trace

    _tracer: Any = trace.get_tracer("paddleocr-vl")
except ImportError:  # pragma: no cover
    _tracer = None


def _load_pipeline() -> None:
    """Loads PaddleOCR-VL from the models baked into the image; exits the process on failure
    so the platform restarts the instance and shows the error in its last log lines."""
    global _pipeline
    try:
        # PaddleX reads its cache directory when it is imported: it must be writable.
        os.environ.setdefault("PADDLE_PDX_CACHE_HOME", settings.cache_home)
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        models = handlers.prepare_cache_home(settings.cache_home, settings.baked_models)
        os.makedirs(settings.work_dir, exist_ok=True)
        kwargs = settings.pipeline_kwargs()
        shown = {k: v for k, v in kwargs.items() if k != "vl_rec_api_key"}
        log.info("loading PaddleOCR-VL %s with models from %s", shown, models)

        from paddleocr import PaddleOCRVL

        _pipeline = PaddleOCRVL(**kwargs)
        health.mark_ready()
        log.info("PaddleOCR-VL ready: %s", health.response()[1])
    except BaseException as exc:  # noqa: BLE001 - any failure here ends the instance
        log.exception("PaddleOCR-VL failed to load")
        health.mark_failed(f"{type(exc).__name__}: {exc}")
        logging.shutdown()
        os._exit(3)


@asynccontextmanager
async def lifespan(_app: FastAPI):
    threading.Thread(target=_load_pipeline, name="pipeline-loader", daemon=True).start()
    yield


app = FastAPI(title="PaddleOCR-VL", version="1.0.0", lifespan=lifespan)


@app.get("/health")
async def get_health() -> JSONResponse:
    status, body = health.response()
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


@app.post("/ocr")
async def post_ocr(request: Request):
    try:
        options = handlers.parse_options(request.query_params)
        if health.status != handlers.HealthState.READY:
            raise handlers.not_ready()
        if not admission.try_enter():
            raise handlers.busy()
        try:
            data, filename, content_type = await _read_upload(request)
            upload = handlers.validate_upload(
                data, filename, content_type, settings.max_upload_bytes
            )
            answer = await run_in_threadpool(_process, data, upload, options)
        finally:
            admission.leave()
    except handlers.UploadError as error:
        headers = {"Retry-After": "5"} if error.status == 503 else None
        return JSONResponse(error.body(), status_code=error.status, headers=headers)
    except HTTPException:
        raise  # a malformed multipart body: Starlette answers 400
    except Exception as exc:  # noqa: BLE001 - the pipeline's own errors
        log.exception("OCR failed")
        failed = handlers.UploadError(500, "ocr_failed", f"{type(exc).__name__}: {exc}")
        return JSONResponse(failed.body(), status_code=500)
    if options["format"] == "markdown":
        return PlainTextResponse(answer["markdown"], media_type="text/markdown")
    return JSONResponse(answer)


async def _read_upload(request: Request) -> Tuple[bytes, Optional[str], Optional[str]]:
    """The document's bytes, file name and declared type: from the multipart field `file`
    (or the first file field), else the raw body (`?filename=` names it)."""
    content_type = request.headers.get("content-type", "")
    length = request.headers.get("content-length")
    if content_type.lower().startswith("multipart/form-data"):
        handlers.check_declared_length(length, settings.max_upload_bytes, slack=64 * 1024)
        form = await request.form()
        try:
            part = form.get("file")
            if not hasattr(part, "read"):
                part = next((v for _, v in form.multi_items() if hasattr(v, "read")), None)
            if part is None:
                raise handlers.UploadError(
                    400, "no_file", 'send the document as the multipart field "file"'
                )
            size = getattr(part, "size", None)  # known once Starlette has spooled the part
            if size is not None:
                handlers.SizeLimit(settings.max_upload_bytes).add(size)
            return await part.read(), part.filename, part.content_type
        finally:
            await form.close()
    handlers.check_declared_length(length, settings.max_upload_bytes)
    limit = handlers.SizeLimit(settings.max_upload_bytes)
    chunks: List[bytes] = []
    async for chunk in request.stream():
        limit.add(len(chunk))
        chunks.append(chunk)
    return b"".join(chunks), request.query_params.get("filename"), content_type or None


def _process(data: bytes, upload: handlers.Upload, options: Dict[str, Any]) -> Dict[str, Any]:
    """Runs the pipeline on one document (in a worker thread) and builds the answer."""
    started = time.monotonic()
    fd, path = tempfile.mkstemp(suffix=upload.suffix, dir=settings.work_dir)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        with _predict_lock:
            if upload.is_pdf:
                # Counted under the lock: PDFium is not thread-safe and the pipeline uses it.
                handlers.check_page_count(_pdf_page_count(path), settings.max_pdf_pages)
            span = (
                _tracer.start_as_current_span(
                    "paddleocr_vl.predict",
                    attributes={"ocr.media_type": upload.media_type, "ocr.bytes": upload.size},
                )
                if _tracer is not None
                else nullcontext()
            )
            with span:
                results = list(_pipeline.predict(path))
                pages = [_page_of(result, options["images"]) for result in results]
                combined = _concatenate(results) if upload.is_pdf and len(results) > 1 else None
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
    return handlers.build_response(
        upload,
        pages,
        combined,
        elapsed_seconds=time.monotonic() - started,
        pipeline_version=settings.pipeline_version,
        raw=options["raw"],
        images=options["images"],
    )


def _pdf_page_count(path: str) -> Optional[int]:
    """Pages of the PDF, with pypdfium2 (PaddleX's PDF reader); None when it is missing."""
    try:
        import pypdfium2
    except ImportError:
        return None
    try:
        document = pypdfium2.PdfDocument(path)
    except Exception as exc:  # noqa: BLE001 - pypdfium2 raises PdfiumError for bad files
        raise handlers.UploadError(422, "unreadable_pdf", f"the PDF cannot be read: {exc}")
    try:
        return len(document)
    finally:
        document.close()


def _page_of(result: Any, want_images: bool) -> handlers.Page:
    """A pipeline result's Markdown, JSON and, when asked, the figures its Markdown names."""
    markdown = getattr(result, "markdown", None)
    images: Dict[str, bytes] = {}
    if want_images and isinstance(markdown, dict):
        for name, image in (markdown.get("markdown_images") or {}).items():
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")  # PIL images
            images[str(name)] = buffer.getvalue()
    return handlers.Page(markdown=markdown, json=getattr(result, "json", None), images=images)


def _concatenate(results: List[Any]) -> Any:
    """One Markdown document from a PDF's pages (the pipeline joins paragraphs and tables
    that continue across a page break); None, and per-page joining, when that fails."""
    try:
        return _pipeline.concatenate_markdown_pages([r.markdown for r in results])
    except Exception:  # noqa: BLE001
        log.warning("concatenate_markdown_pages failed; joining pages", exc_info=True)
        return None
