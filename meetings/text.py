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


def normalise(text: str | None) -> str:
    """NFC form with outer white space trimmed: what we store for any human-entered text."""
    return unicodedata.normalize("NFC", text or "").strip()
