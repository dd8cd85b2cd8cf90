"""Files champions share: which kinds are accepted, how they are checked, and their address.

The bot decides a file's kind from its extension *and* its first bytes, and serves it with the
MIME type of that kind, never the one the sender's app claimed: a renamed program is refused,
and a browser never guesses (``X-Content-Type-Options: nosniff`` on the web server).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from bot.core.errors import UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Upload

ZIP = (b"PK\x03\x04",)
TEXT_KINDS = ("txt", "csv")


@dataclass(frozen=True)
class FileKind:
    """One accepted kind: its MIME type and the first bytes its files start with."""

    mime_type: str
    signatures: tuple[bytes, ...] = ()
    """Empty: a text file (UTF-8, no NUL byte)."""
    inline: bool = False
    """Shown in the browser (PDF, pictures, text) rather than downloaded."""


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", (b"%PDF-",), inline=True),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP
    ),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP
    ),
    "odt": FileKind("application/vnd.oasis.opendocument.text", ZIP),
    "ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": FileKind("application/vnd.oasis.opendocument.presentation", ZIP),
    "txt": FileKind("text/plain; charset=utf-8", inline=True),
    "csv": FileKind("text/csv; charset=utf-8"),
    "png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    "jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    "jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
}
"""The documents people share. Everything else (programs, scripts, archives, web pages that
would run in the bot's address) is refused."""

EXECUTABLE_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
"""Windows, Linux and macOS programs and scripts, whatever their name says."""

ACCEPTED_HELP = (
    "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), OpenDocument, txt, csv, PNG, JPG"
)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted file: its safe name, the kind the bot serves it as, its bytes and hash."""

    filename: str
    mime_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def extension(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    return ext.casefold() if dot and stem else ""


def kind_of(filename: str) -> FileKind | None:
    return KINDS.get(extension(filename))


def _looks_like(kind: FileKind, data: bytes) -> bool:
    if any(data.startswith(start) for start in EXECUTABLE_STARTS):
        return False
    if kind.signatures:
        return any(data.startswith(signature) for signature in kind.signatures)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def human_size(size: int) -> str:
    """``2.4 MB``, ``830 KB``, ``12 bytes`` (decimal units, as the size limit is given)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size // 1_000} KB"
    return f"{size} bytes"


def check_upload(upload: Upload, limit: int) -> CheckedFile:
    """The file as the bot keeps it, or a polite refusal (too big, empty, not a document)."""
    if upload.data is None or upload.size > limit:
        raise UserFacingError(
            N_("“{name}” is too big ({size}); I accept files up to {limit}. Share a link instead."),
            name=upload.filename,
            size=human_size(upload.size),
            limit=human_size(limit),
        )
    if not upload.data:
        raise UserFacingError(N_("“{name}” is empty."), name=upload.filename)
    kind = kind_of(upload.filename)
    if kind is None or not _looks_like(kind, upload.data):
        raise UserFacingError(
            N_("I cannot accept “{name}”: I take documents only ({accepted})."),
            name=upload.filename,
            accepted=ACCEPTED_HELP,
        )
    return CheckedFile(
        filename=upload.filename,
        mime_type=kind.mime_type,
        data=upload.data,
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )


def new_token() -> str:
    """An unguessable address part (192 random bits)."""
    return secrets.token_urlsafe(24)


def file_url(public_url: str, token: str, filename: str) -> str:
    """Where the web server serves an approved file: ``<public_url>/files/<token>/<name>``."""
    return f"{public_url.rstrip('/')}/files/{token}/{quote(filename)}"


def title_from(filename: str) -> str:
    """A title when none was given: the file's name without its extension, words spaced."""
    stem = filename.rpartition(".")[0] or filename
    return " ".join(stem.replace("_", " ").replace("-", " ").split()) or filename
