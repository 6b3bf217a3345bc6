"""What the HTTP layer needs, without FastAPI or Paddle: settings from the environment,
upload validation, the pipeline's keyword arguments, its output turned into the JSON answer,
the health state and a bound on waiting requests.

Standard library only, so `python3 -m unittest discover -s app/tests -t .` runs anywhere.
"""

from __future__ import annotations

import base64
import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

MIB = 1024 * 1024

# What PaddleX reads: image files by suffix (jpg, jpeg, png, bmp) and PDFs, page by page.
ACCEPTED_TYPES: Dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/bmp": ".bmp",
}


class UploadError(Exception):
    """A request the service refuses: an HTTP status, a stable code and a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> Dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def _int_setting(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _bool_setting(env: Mapping[str, str], name: str) -> Optional[bool]:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def _optional(env: Mapping[str, str], name: str) -> Optional[str]:
    value = env.get(name, "").strip()
    return value or None


def _unless_default(env: Mapping[str, str], name: str, fallback: str) -> Optional[str]:
    """The variable's value, `fallback` when unset, None (leave it to PaddleOCR) for
    `default`."""
    value = _optional(env, name)
    if value is None:
        return fallback
    return None if value.lower() == "default" else value


@dataclass(frozen=True)
class Settings:
    """The service's settings, read once at start."""

    max_upload_bytes: int = 20 * MIB
    max_pdf_pages: int = 10
    max_queued: int = 4
    pipeline_version: Optional[str] = "v1.5"
    device: Optional[str] = "gpu:0"
    baked_models: str = "/opt/paddlex/official_models"
    cache_home: str = "/tmp/paddlex"
    work_dir: str = "/tmp/paddleocr-vl"
    use_doc_orientation_classify: Optional[bool] = None
    use_doc_unwarping: Optional[bool] = None
    vl_rec_backend: Optional[str] = None
    vl_rec_server_url: Optional[str] = None
    vl_rec_api_key: Optional[str] = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        return cls(
            max_upload_bytes=_int_setting(env, "MAX_UPLOAD_MB", 20, 1) * MIB,
            max_pdf_pages=_int_setting(env, "MAX_PDF_PAGES", 10, 1),
            max_queued=_int_setting(env, "MAX_QUEUED_REQUESTS", 4, 0),
            pipeline_version=_unless_default(env, "PADDLEOCR_VL_PIPELINE_VERSION", "v1.5"),
            device=_unless_default(env, "PADDLEOCR_VL_DEVICE", "gpu:0"),
            baked_models=_optional(env, "PADDLEOCR_VL_MODELS") or "/opt/paddlex/official_models",
            cache_home=_optional(env, "PADDLE_PDX_CACHE_HOME") or "/tmp/paddlex",
            work_dir=_optional(env, "OCR_WORK_DIR") or "/tmp/paddleocr-vl",
            use_doc_orientation_classify=_bool_setting(
                env, "PADDLEOCR_VL_USE_DOC_ORIENTATION_CLASSIFY"
            ),
            use_doc_unwarping=_bool_setting(env, "PADDLEOCR_VL_USE_DOC_UNWARPING"),
            vl_rec_backend=_optional(env, "PADDLEOCR_VL_REC_BACKEND"),
            vl_rec_server_url=_optional(env, "PADDLEOCR_VL_REC_SERVER_URL"),
            vl_rec_api_key=_optional(env, "PADDLEOCR_VL_REC_API_KEY"),
        )

    def pipeline_kwargs(self) -> Dict[str, Any]:
        """Keyword arguments for `paddleocr.PaddleOCRVL(...)`: only what was set."""
        kwargs: Dict[str, Any] = {}
        if self.pipeline_version:
            kwargs["pipeline_version"] = self.pipeline_version
        if self.device:
            kwargs["device"] = self.device
        for name in ("use_doc_orientation_classify", "use_doc_unwarping"):
            value = getattr(self, name)
            if value is not None:
                kwargs[name] = value
        if self.vl_rec_backend:
            kwargs["vl_rec_backend"] = self.vl_rec_backend
        if self.vl_rec_server_url:
            kwargs["vl_rec_server_url"] = self.vl_rec_server_url
        if self.vl_rec_api_key:
            kwargs["vl_rec_api_key"] = self.vl_rec_api_key
        return kwargs


def prepare_cache_home(cache_home: str, baked_models: str) -> str:
    """Makes PaddleX's cache directory under /tmp and links the models baked into the image
    into it as `official_models`, so PaddleX finds them and writes only its locks and
    temporary files (the cache directory must be writable; the image is not). Answers the
    `official_models` path."""
    os.makedirs(cache_home, exist_ok=True)
    link = os.path.join(cache_home, "official_models")
    if not os.path.lexists(link) and os.path.isdir(baked_models):
        os.symlink(baked_models, link, target_is_directory=True)
    return link


# --- Uploads -------------------------------------------------------------------------------


def sniff_type(data: bytes) -> Optional[str]:
    """The media type the bytes are, by their signature; None when not one we accept."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"BM") and len(data) > 54:
        return "image/bmp"
    # PDF readers accept the header anywhere in the first 1024 bytes.
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


def _declared(content_type: Optional[str]) -> Optional[str]:
    if not content_type:
        return None
    declared = content_type.split(";", 1)[0].strip().lower()
    return "image/jpeg" if declared in ("image/jpg", "image/pjpeg") else declared


def check_declared_length(content_length: Optional[str], max_bytes: int, slack: int = 0) -> None:
    """Refuses early a request whose Content-Length already exceeds the limit (plus `slack`,
    room for multipart framing)."""
    if content_length is None:
        return
    try:
        length = int(content_length)
    except ValueError:
        raise UploadError(400, "bad_content_length", "Content-Length is not a number") from None
    if length > max_bytes + slack:
        raise UploadError(
            413,
            "too_large",
            f"the upload is {length} bytes; at most {max_bytes} bytes are accepted",
        )


class SizeLimit:
    """Counts bytes as they arrive and refuses the request past the limit."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.total = 0

    def add(self, count: int) -> None:
        self.total += count
        if self.total > self.max_bytes:
            raise UploadError(
                413, "too_large", f"the upload exceeds the limit of {self.max_bytes} bytes"
            )


@dataclass(frozen=True)
class Upload:
    filename: str
    media_type: str
    suffix: str
    size: int

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"


def validate_upload(
    data: bytes, filename: Optional[str], content_type: Optional[str], max_bytes: int
) -> Upload:
    """Checks an upload and names its type by its bytes, not by what the client declared
    (clients often send application/octet-stream). A declared type we accept that the bytes
    contradict is refused, since the file is likely damaged."""
    if len(data) == 0:
        raise UploadError(400, "empty", "the upload is empty: send an image or a PDF")
    if len(data) > max_bytes:
        raise UploadError(
            413,
            "too_large",
            f"the upload is {len(data)} bytes; at most {max_bytes} bytes are accepted",
        )
    detected = sniff_type(data)
    accepted = ", ".join(sorted(ACCEPTED_TYPES))
    if detected is None:
        raise UploadError(
            415, "unsupported_type", f"not an image or PDF this service reads ({accepted})"
        )
    declared = _declared(content_type)
    if declared in ACCEPTED_TYPES and declared != detected:
        raise UploadError(
            415,
            "type_mismatch",
            f"declared as {declared} but the content is {detected}",
        )
    name = os.path.basename(filename or "") or "upload" + ACCEPTED_TYPES[detected]
    return Upload(
        filename=name, media_type=detected, suffix=ACCEPTED_TYPES[detected], size=len(data)
    )


def check_page_count(pages: Optional[int], max_pages: int) -> None:
    """Refuses a PDF with more pages than one request may take (None: not counted)."""
    if pages is not None and pages > max_pages:
        raise UploadError(
            413,
            "too_many_pages",
            f"the PDF has {pages} pages; at most {max_pages} per request are accepted",
        )


def parse_options(query: Mapping[str, str]) -> Dict[str, Any]:
    """`format` (json or markdown), `raw` and `images` (true/false) from the query string."""
    fmt = (query.get("format") or "json").strip().lower()
    if fmt not in ("json", "markdown"):
        raise UploadError(400, "bad_format", "format must be json or markdown")
    options: Dict[str, Any] = {"format": fmt}
    for name in ("raw", "images"):
        raw = (query.get(name) or "false").strip().lower()
        if raw not in ("true", "false", "1", "0"):
            raise UploadError(400, f"bad_{name}", f"{name} must be true or false")
        options[name] = raw in ("true", "1")
    return options


# --- Pipeline output -----------------------------------------------------------------------


def to_jsonable(value: Any, depth: int = 0) -> Any:
    """Plain JSON from what the pipeline returns: numpy arrays and scalars become lists and
    numbers, non-finite floats null, tuples lists; images, bytes and other objects are
    dropped (null)."""
    if depth > 64:
        return None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return None
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        try:
            return to_jsonable(tolist(), depth + 1)
        except Exception:  # noqa: BLE001 - anything unconvertible is dropped
            return None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return None


def markdown_text(markdown: Any) -> str:
    """The text of a result's `markdown`: a string, or PaddleX's dict with `markdown_texts`."""
    if markdown is None:
        return ""
    if isinstance(markdown, str):
        return markdown
    if isinstance(markdown, Mapping):
        text = markdown.get("markdown_texts", "")
        if isinstance(text, (list, tuple)):
            return "\n\n".join(str(t) for t in text)
        return str(text or "")
    return ""


def _result_body(result_json: Any) -> Mapping[str, Any]:
    """PaddleX results serialise as {"res": {...}}."""
    if isinstance(result_json, Mapping):
        inner = result_json.get("res")
        return inner if isinstance(inner, Mapping) else result_json
    return {}


def blocks_of(result_json: Any) -> List[Dict[str, Any]]:
    """The recognised blocks of one page in reading order: label, content and bounding box."""
    body = _result_body(result_json)
    blocks = []
    for block in body.get("parsing_res_list") or []:
        if not isinstance(block, Mapping):
            continue
        bbox = block.get("block_bbox", block.get("bbox"))
        blocks.append(
            {
                "label": block.get("block_label", block.get("label")),
                "content": block.get("block_content", block.get("content", "")),
                "bbox": to_jsonable(bbox),
            }
        )
    return blocks


@dataclass
class Page:
    """One result of `pipeline.predict`: its `markdown` and `json` attributes, and the
    figures its Markdown references (relative path -> PNG bytes) when asked for."""

    markdown: Any = None
    json: Any = None
    images: Dict[str, bytes] = field(default_factory=dict)


def build_response(
    upload: Upload,
    pages: Sequence[Page],
    combined_markdown: Any = None,
    *,
    elapsed_seconds: float,
    pipeline_version: Optional[str],
    raw: bool = False,
    images: bool = False,
) -> Dict[str, Any]:
    """The JSON answer for one document."""
    page_views = []
    for index, page in enumerate(pages):
        body = _result_body(page.json)
        page_index = body.get("page_index")
        text = markdown_text(page.markdown)
        blocks = blocks_of(page.json)
        if not text and blocks:
            text = "\n\n".join(str(b["content"]) for b in blocks if b["content"])
        view: Dict[str, Any] = {
            "page": (page_index if isinstance(page_index, int) else index) + 1,
            "markdown": text,
            "blocks": blocks,
        }
        if images:
            view["images"] = {
                path: base64.b64encode(data).decode("ascii")
                for path, data in sorted(page.images.items())
            }
        if raw:
            view["result"] = to_jsonable(page.json)
        page_views.append(view)
    markdown = markdown_text(combined_markdown) or "\n\n".join(
        view["markdown"] for view in page_views if view["markdown"]
    )
    return {
        "filename": upload.filename,
        "media_type": upload.media_type,
        "pipeline_version": pipeline_version,
        "page_count": len(page_views),
        "markdown": markdown,
        "pages": page_views,
        "elapsed_ms": round(elapsed_seconds * 1000),
    }


# --- Health and admission ------------------------------------------------------------------


class HealthState:
    """Loading until the pipeline is ready; failed when loading raised."""

    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._status = self.LOADING
        self._started = clock()
        self._load_seconds: Optional[float] = None
        self._error: Optional[str] = None

    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    def mark_ready(self) -> None:
        with self._lock:
            self._status = self.READY
            self._load_seconds = self._clock() - self._started

    def mark_failed(self, error: str) -> None:
        with self._lock:
            self._status = self.FAILED
            self._error = error

    def response(self) -> Tuple[int, Dict[str, Any]]:
        """The answer of GET /health: 200 once the pipeline is loaded, 503 before or after a
        failure (readiness waits for the model)."""
        with self._lock:
            if self._status == self.READY:
                loaded = round(self._load_seconds or 0.0, 1)
                return 200, {"status": self.READY, "load_seconds": loaded}
            if self._status == self.FAILED:
                return 503, {"status": self.FAILED, "error": self._error}
            waited = self._clock() - self._started
            return 503, {"status": self.LOADING, "waited_seconds": round(waited, 1)}


class Admission:
    """At most `limit` requests in the service at once (one runs, the rest wait for the
    pipeline); past that, new ones are refused with 503 rather than queued without end."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._lock = threading.Lock()
        self._inside = 0

    @property
    def inside(self) -> int:
        with self._lock:
            return self._inside

    def try_enter(self) -> bool:
        with self._lock:
            if self._inside >= self.limit:
                return False
            self._inside += 1
            return True

    def leave(self) -> None:
        with self._lock:
            if self._inside > 0:
                self._inside -= 1


def busy() -> UploadError:
    return UploadError(503, "busy", "the service is working on other documents; retry shortly")


def not_ready() -> UploadError:
    return UploadError(503, "loading", "the model is still loading; retry shortly")
