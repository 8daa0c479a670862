"""The one Vietnamese text-folding function: every search, sort key and comparison uses it."""
import unicodedata

# đ/Đ are letters of their own, not d plus a diacritic, so NFD leaves them alone.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold_vietnamese(text: str | None) -> str:
    """Lower-case, strip diacritics and fold đ, collapse white space: "Họp GIAO ban" -> "hop giao ban"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


# Characters that print as nothing: format controls (zero-width space and joiners, BOM, soft hyphen,
# bidi marks), the Hangul and Braille fillers. A title made of them looks empty and is treated so.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def _blank(ch: str) -> bool:
    return ch.isspace() or ch in _FILLERS or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def normalise(text: str | None) -> str:
    """NFC form with outer white space and invisible characters trimmed: what we store for any
    human-entered text (so that "\u200b" alone is an empty field, not a blank title)."""
    value = unicodedata.normalize("NFC", text or "")
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]
