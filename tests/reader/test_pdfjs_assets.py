"""pdf.js as the reader loads it: from our origin, its two modules gzipped for browsers that accept it,
and a CSP that lets its worker run without 'unsafe-eval' (meetings/reader/vendor.py, meetings/web.py)."""
import gzip
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "pdfjs"


@pytest.fixture
def built():
    if not (VENDOR / "pdf.worker.min.mjs.gz").is_file():
        require_or_skip("static/vendor is not built (npm ci && npm run build)")


def test_the_modules_go_gzipped_to_who_accepts_it_and_whole_to_the_others(client, built):
    url = "/static/vendor/pdfjs/pdf.worker.min.mjs"
    original = (VENDOR / "pdf.worker.min.mjs").read_bytes()
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"] and zipped.mimetype == "text/javascript"
    assert gzip.decompress(zipped.data) == original and len(zipped.data) < len(original) / 3
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers and plain.data == original
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # two bodies, two validators
    with client.get("/static/js/reader/main.js", headers={"Accept-Encoding": "gzip"}) as other:
        assert "Content-Encoding" not in other.headers
    zipped.close()
    plain.close()


def test_the_csp_lets_the_worker_run_from_our_origin_and_never_eval(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "unsafe-eval" not in policy and "wasm-unsafe-eval" not in policy
