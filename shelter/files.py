"""What an uploaded file really is, judged by its first bytes, not by its name.

Evidence files come from people under attack: a disguised executable or an HTML page posing as a
PDF is refused rather than stored and later opened by a caseworker.
"""

from pathlib import PurePath


class UnsupportedFile(ValueError):
    pass


# (signature at offset 0, content type, extensions that may carry it)
SIGNATURES = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"GIF87a", "image/gif", {".gif"}),
    (b"GIF89a", "image/gif", {".gif"}),
    (b"PK\x03\x04", "application/zip", {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"}),
    (b"ID3", "audio/mpeg", {".mp3"}),
    (b"OggS", "audio/ogg", {".ogg", ".oga", ".opus"}),
]
TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".eml": "message/rfc822", ".md": "text/plain"}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
ALLOWED = sorted({ext for _, _, exts in SIGNATURES for ext in exts} | set(TEXT_TYPES) | {".mp4", ".m4a", ".webp"})


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sample is fine.
        return e.start >= len(head) - 3
    return True


def classify(filename: str, head: bytes) -> str:
    """The content type of a file whose name is ``filename`` and which starts with ``head``.

    Raises UnsupportedFile when the type is not accepted or the content contradicts the name.
    """
    ext = PurePath(filename or "").suffix.lower()
    if ext not in ALLOWED:
        raise UnsupportedFile(f"files of type {ext or '(none)'!r} are not accepted; accepted: {', '.join(ALLOWED)}")
    if ext in TEXT_TYPES:
        lowered = head[:512].lstrip().lower()
        if not _is_text(head) or lowered.startswith((b"<!doctype html", b"<html", b"<script", b"<svg")):
            raise UnsupportedFile("the file's content does not match its name: it is not plain text")
        return TEXT_TYPES[ext]
    if ext in (".mp4", ".m4a"):
        if head[4:8] != b"ftyp":
            raise UnsupportedFile(f"the file's content does not match its name ({ext})")
        return "video/mp4" if ext == ".mp4" else "audio/mp4"
    if ext == ".webp":
        if not (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
            raise UnsupportedFile("the file's content does not match its name (.webp)")
        return "image/webp"
    for signature, content_type, extensions in SIGNATURES:
        if head.startswith(signature):
            if ext not in extensions:
                break
            return OFFICE_TYPES.get(ext, content_type)
    raise UnsupportedFile(f"the file's content does not match its name ({ext})")
