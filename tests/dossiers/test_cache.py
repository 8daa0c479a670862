"""The file cache: what was made once is read back, keys tell documents and readers apart."""
from meetings.dossiers.cache import FileCache, cache_key, document_sha


def test_made_once_then_read_back(tmp_path):
    cache = FileCache(tmp_path)
    calls = []
    key = cache_key(document_sha(b"%PDF-1.7 a"), ("Nguyễn Văn A", "Vụ Tổ chức"))

    def make():
        calls.append(1)
        return b"stamped"

    assert cache.get_or_make(key, make) == b"stamped"
    assert cache.get_or_make(key, make) == b"stamped"
    assert calls == [1]
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []


def test_keys_differ_by_document_and_by_stamp():
    sha = document_sha(b"x")
    assert cache_key(sha, ("A", "B")) != cache_key(sha, ("A B",))
    assert cache_key(sha, ("A",)) != cache_key(document_sha(b"y"), ("A",))
