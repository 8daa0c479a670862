"""What a typed query means: phrases in quotes, several words = all of them, folded as
fold_vietnamese folds the indexed text, so "kiem dinh", "KIỂM ĐỊNH" and "kiểm định" are one query."""
import re
from dataclasses import dataclass

from meetings.text import fold_vietnamese

MAX_TERMS = 8  # more words only slow the query down; nobody types them to narrow a search
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # each must occur in the text (a phrase: as it stands)
    phrase: str  # the whole query as one phrase: found as it stands, it ranks higher
    given: tuple[str, ...] = ()  # every term as typed (folded), none dropped: the word index reads these

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse(text: str | None) -> Query:
    text = text or ""
    terms: list[str] = []
    for quoted in _QUOTED.findall(text):
        terms.append(fold_vietnamese(quoted))
    rest = _QUOTED.sub(" ", text).replace('"', " ")
    terms += fold_vietnamese(rest).split()
    unique = []
    for term in terms:
        if term and term not in unique:
            unique.append(term)
    # A word already inside a longer term adds nothing but work ("ke" beside "ke hoach").
    kept = tuple(t for t in unique if not any(t != o and t in o for o in unique))[:MAX_TERMS]
    return Query(kept, fold_vietnamese(_QUOTED.sub(r" \1 ", text).replace('"', " ")), tuple(unique[:MAX_TERMS]))


def like_pattern(term: str) -> str:
    """`term` anywhere, with LIKE's own wildcards taken literally (escape character: backslash)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
