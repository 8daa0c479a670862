"""Searching page texts: diacritics-insensitive matches, shown in the original text with the hit marked."""
import functools
import re
from dataclasses import dataclass
from html import escape

from meetings.text import fold_vietnamese

CONTEXT = 60  # characters of original text kept on each side of a hit
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageHit:
    page: int  # 1-based
    snippet: str  # HTML: escaped text, the hits wrapped in <mark>


def search_pages(texts: list[str], query: str, limit: int | None = None) -> list[PageHit]:
    """One hit per page whose text contains `query`, diacritics, đ and case ignored."""
    needle = fold_vietnamese(query)
    if not needle:
        return []
    hits = []
    for number, text in enumerate(texts, start=1):
        # The cheap test first: the offset map is only built for pages that match.
        if needle not in fold_vietnamese(text):
            continue
        folded, origin = folded_with_offsets(text)
        hits.append(PageHit(number, snippet(text, folded, origin, needle)))
        if limit and len(hits) >= limit:
            break
    return hits


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` folded as fold_vietnamese folds it, and for each folded character the index of the
    original character it came from (one original character may give none, one or several)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            # fold_vietnamese collapses each run of white space into one space and trims the ends.
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        for folded in _fold_char(char):
            chars.append(folded)
            origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # The one folding function, one character at a time: a combining accent folds to "" on its own.
    return fold_vietnamese(char)


def snippet(text: str, folded: str, origin: list[int], needle: str) -> str:
    """The original text around the first hit, every hit inside the window marked, the rest escaped."""
    first = folded.index(needle)
    start_orig = origin[first]
    end_orig = _original_end(text, origin, first + len(needle) - 1)
    window_start = _word_start(text, max(0, start_orig - CONTEXT))
    window_end = _word_end(text, min(len(text), end_orig + CONTEXT))
    spans = []
    position = first
    while position != -1:
        begin, end = origin[position], _original_end(text, origin, position + len(needle) - 1)
        if begin >= window_end:
            break
        if end <= window_end and (not spans or begin >= spans[-1][1]):
            spans.append((begin, end))
        position = folded.find(needle, position + 1)
    return _marked(text, window_start, window_end, spans)


def _marked(text: str, window_start: int, window_end: int, spans) -> str:
    """The window of `text` escaped, each (begin, end) span in <mark>, with … where the text goes on."""
    parts, cursor = [], window_start
    for begin, end in spans:
        parts.append(escape(_squash(text[cursor:begin])))
        parts.append(f"<mark>{escape(_squash(text[begin:end]))}</mark>")
        cursor = end
    parts.append(escape(_squash(text[cursor:window_end])))
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    return (prefix + "".join(parts) + suffix).strip()


def _original_end(text: str, origin: list[int], last_folded: int) -> int:
    """End (exclusive) in the original of the character behind folded index `last_folded`,
    taking along the combining accents that follow it (e + U+0301 is one letter on screen)."""
    end = origin[last_folded] + 1
    while end < len(text) and _fold_char(text[end]) == "" and not text[end].isspace():
        end += 1
    return end


def _word_start(text: str, index: int) -> int:
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index


def _squash(text: str) -> str:
    # Page text has line breaks in the middle of sentences; a snippet reads as one line.
    return _SPACES.sub(" ", text)


def marked_snippet(text: str, needles: list[str]) -> str:
    """The original text around the first of `needles` (folded) found, every needle found inside the
    window marked, the rest escaped; the text's start when none is found (a hit in the title)."""
    folded, origin = folded_with_offsets(text)
    found = [(folded.find(n), n) for n in needles if n and n in folded]
    if not found:
        end = _word_end(text, min(len(text), 2 * CONTEXT))
        return (escape(_squash(text[:end])) + ("…" if end < len(text) else "")).strip()
    first, needle = min(found)
    start_orig = origin[first]
    end_orig = _original_end(text, origin, first + len(needle) - 1)
    window_start = _word_start(text, max(0, start_orig - CONTEXT))
    window_end = _word_end(text, min(len(text), end_orig + CONTEXT))
    spans = []
    for needle in {n for _, n in found}:
        position = folded.find(needle)
        while position != -1:
            begin, end = origin[position], _original_end(text, origin, position + len(needle) - 1)
            if window_start <= begin and end <= window_end:
                spans.append((begin, end))
            position = folded.find(needle, position + 1)
    merged: list[list[int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return _marked(text, window_start, window_end, merged)
