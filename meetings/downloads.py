"""The one way a file's name leaves us: a Content-Disposition with a cleaned base name (RFC 6266).

File names come from uploads ("../../../etc/evil<script>.html"), titles and translations; none of them
may carry a path, a control character or a quote into a header or onto someone's disk.
"""
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from flask import Response

# Not in a file name on Windows or in a quoted header value; "/" and "\\" are handled as path parts.
_UNSAFE = re.compile(r'[<>:"|?*;%\\/]')
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._()\- ]")
MAX_LENGTH = 180


def clean_filename(name: str | None, fallback: str = "download") -> str:
    """The base name, with control and invisible characters dropped and the risky ones replaced."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if c.isspace() else c for c in name
                   if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _UNSAFE.sub("_", name)
    name = " ".join(name.split()).lstrip(". ")  # no ".." and no hidden file
    if len(name) > MAX_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:MAX_LENGTH - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_LENGTH]
    return name or fallback


def ascii_filename(name: str, fallback: str = "download") -> str:
    """The name for clients that ignore filename*: Vietnamese without its marks, đ as d."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = " ".join(_ASCII_UNSAFE.sub("_", plain).split()).lstrip(". ")
    return plain or fallback


@lru_cache(maxsize=4096)  # a reader's copy is asked for range by range, under the same name each time
def content_disposition(filename: str | None, inline: bool = False, fallback: str = "download") -> str:
    name = clean_filename(filename, fallback)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name, fallback)}\"; filename*=UTF-8''{quote(name, safe='')}"


def name_file(response: Response, filename: str | None, inline: bool = False, fallback: str = "download"):
    """Set the response's Content-Disposition (replacing one send_file made) and return the response."""
    response.headers["Content-Disposition"] = content_disposition(filename, inline, fallback)
    return response


def headers(filename: str | None, inline: bool = False, fallback: str = "download") -> dict[str, str]:
    """For views that return (body, status, headers)."""
    return {"Content-Disposition": content_disposition(filename, inline, fallback)}
