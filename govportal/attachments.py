"""Attachments: size and SHA-256 (for the gate), and for PDFs page count and text (kept for search),
read with pypdf."""
from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from .issues import Issue, Severity
from .model import Attachment, Document

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class PdfInfo:
    pages: int
    text: str


class PdfProblem(Exception):
    """A PDF that cannot be read; ``str()`` is a Chinese message with the fix."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def read_pdf(data: bytes) -> PdfInfo:
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                ok = 0
            if not ok:
                raise PdfProblem("PDF 已加密，无法读取", "请上传未加密、允许复制文字的 PDF")
        pages = len(reader.pages)
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except PdfProblem:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise PdfProblem("PDF 已加密，无法读取", "请上传未加密、允许复制文字的 PDF") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError) as exc:
        raise PdfProblem(f"PDF 文件已损坏，无法读取（{type(exc).__name__}）", "请重新导出或重新上传该 PDF") from None
    if pages == 0:
        raise PdfProblem("PDF 没有任何页面", "请重新导出该 PDF")
    return PdfInfo(pages=pages, text=" ".join(text.split()))


class PdfCache:
    """Caches PDF results by file content hash, so a rebuild does not re-read unchanged PDFs."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, dict] = {}
        self.dirty = False
        if path and path.exists():
            try:
                self.entries = json.loads(path.read_text("utf-8"))
            except (ValueError, OSError):
                self.entries = {}

    def get(self, data: bytes, key: str = "") -> PdfInfo:
        """The PDF's pages and text; ``key``: the SHA-256 of ``data`` in hex, when already known."""
        key = key or hashlib.sha256(data).hexdigest()
        hit = self.entries.get(key)
        if hit is not None:
            if "error" in hit:
                raise PdfProblem(hit["error"], hit["fix"])
            return PdfInfo(hit["pages"], hit["text"])
        try:
            info = read_pdf(data)
        except PdfProblem as exc:
            self.entries[key] = {"error": str(exc), "fix": exc.fix}
            self.dirty = True
            raise
        self.entries[key] = {"pages": info.pages, "text": info.text}
        self.dirty = True
        return info

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False), "utf-8")
            tmp.replace(self.path)


def pdf_info(data: bytes) -> PdfInfo | None:
    """The pages and text of a PDF, None when it cannot be read (for showing and search, not for checking)."""
    try:
        return read_pdf(data)
    except PdfProblem:
        return None


def media_type(file: str) -> str:
    return mimetypes.guess_type(file)[0] or "application/octet-stream"


ATTACHMENTS_DIR = "attachments"  # under content/: the only files copied to the site (pelicanconf's STATIC_PATHS), when a public page links them
OUTSIDE = (f"附件路径“{{file}}”不在 content/{ATTACHMENTS_DIR}/ 下：只有那里的文件会复制到网站上",
           f"把文件移到 content/{ATTACHMENTS_DIR}/ 下，file 写相对于 content/ 的路径，例如 {ATTACHMENTS_DIR}/2024/x.pdf")


def attachment_path(content_dir: Path, file: str) -> Path | None:
    """Where an attachment's file is (it may not exist); None when the path leads out of
    content/attachments/ (nothing else is published)."""
    path = (content_dir / file).resolve()
    return path if (content_dir / ATTACHMENTS_DIR).resolve() in path.parents else None


def check_attachments(doc: Document, content_dir: Path, cache: PdfCache) -> list[Issue]:
    """Fill size/pages/text of each attachment; an Issue for each missing or unreadable one."""
    out = []
    if not doc.attachments:
        return out
    for i, att in enumerate(doc.attachments):
        name = f"attachments.{i}.file"
        path = attachment_path(content_dir, att.file)
        if path is None:
            out.append(Issue(doc.source, att.line, name, OUTSIDE[0].format(file=att.file), OUTSIDE[1]))
            continue
        if not path.is_file():
            att.file_sha256 = ""
            out.append(Issue(doc.source, att.line, name, f"附件“{att.file}”不存在",
                             "把文件放到 content/ 下的这个位置，或改正 file 路径（区分大小写）"))
            continue
        data = path.read_bytes()
        att.size = len(data)
        att.file_sha256 = hashlib.sha256(data).hexdigest()  # compared with the final review's (gate)
        att.media = media_type(path.name)
        if path.suffix.lower() != ".pdf":
            continue
        try:
            info = cache.get(data, att.file_sha256)
        except PdfProblem as exc:
            out.append(Issue(doc.source, att.line, name, f"附件“{att.file}”：{exc}", exc.fix))
            continue
        att.pages, att.text = info.pages, info.text
        if not info.text.strip():
            out.append(Issue(doc.source, att.line, name, f"附件“{att.file}”没有文字层（可能是扫描件），无法被检索",
                             "请上传带文字层的 PDF，或先做 OCR", Severity.WARNING))
    return out
