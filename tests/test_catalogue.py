"""The Vietnamese catalogue is complete: every string the code and templates mark is there, translated,
none fuzzy, none twice. Extraction runs in memory with babel.cfg; messages.po is only read."""
import re
import tokenize
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "meetings" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "_l": None,
            "lazy_gettext": None}
GETTEXT_CALL = re.compile(r"(?<![\w.])(_|_l|gettext|ngettext|pgettext|lazy_gettext)\(")


def _key(message_id, context):
    return (message_id[0] if isinstance(message_id, (tuple, list)) else message_id), context


def used_messages() -> dict[tuple, str]:
    """(msgid, context) -> where, for every string marked in meetings/ and templates/."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.setdefault(_key(message, context), f"{filename}:{lineno}")
    return found


def catalogue():
    with open(CATALOGUE, "rb") as po:
        return read_po(po, locale="vi")


def test_extraction_finds_the_code_and_the_templates():
    where = set(used_messages().values())
    assert any(w.startswith("templates/") for w in where) and any(w.startswith("meetings/") for w in where)


def test_every_marked_string_is_in_the_vietnamese_catalogue():
    known = {_key(m.id, m.context) for m in catalogue() if m.id}
    missing = [f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
               for (msgid, context), where in sorted(used_messages().items(), key=lambda kv: kv[1])
               if (msgid, context) not in known]
    assert not missing, ("strings missing from meetings/translations/vi/LC_MESSAGES/messages.po "
                         "(append them at the end, translated):\n" + "\n".join(missing))


def test_every_entry_is_translated_and_none_is_fuzzy():
    bad = []
    for m in catalogue():
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        if m.fuzzy:
            bad.append(f"fuzzy: {m.id!r}")
        elif not all(s and s.strip() for s in strings):
            bad.append(f"untranslated: {m.id!r}")
    assert not bad, "\n".join(bad)


def test_no_entry_is_there_twice():
    # read_po keeps the last of two equal msgids silently: a merge that appends the same string on
    # two branches would leave one translation that nobody chose.
    seen, twice = set(), []
    for entry in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        context = next((line for line in lines if line.startswith("msgctxt ")), None)
        start = next((i for i, line in enumerate(lines) if line.startswith("msgid ")), None)
        if start is None:
            continue
        msgid = [lines[start]]
        for line in lines[start + 1:]:
            if not line.startswith('"'):
                break
            msgid.append(line)
        key = (context, "".join(msgid))
        if key in seen:
            twice.append(key[1] + (f" ({context})" if context else ""))
        seen.add(key)
    assert not twice, "entries present twice:\n" + "\n".join(twice)


def test_no_gettext_inside_an_f_string():
    """Python 3.11 tokenizes an f-string as one string: a _() inside it is never extracted."""
    found = []
    for path in sorted((ROOT / "meetings").rglob("*.py")):
        with open(path, "rb") as source:
            for token in tokenize.tokenize(source.readline):
                prefix = re.match(r"[A-Za-z]*", token.string).group().lower() if token.type == tokenize.STRING else ""
                if "f" in prefix and GETTEXT_CALL.search(token.string):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not found, "gettext inside an f-string (move the call out of it): " + ", ".join(found)


def test_our_live_room_is_not_called_an_online_meeting_room():
    """"Phòng họp trực tuyến" is a video room; ours is the "Phòng họp điện tử"."""
    wrong = [m.id for m in catalogue() if m.id and isinstance(m.string, str)
             and "phòng họp trực tuyến" in m.string.lower()]
    assert not wrong, wrong
