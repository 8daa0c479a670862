"""pdf.js as the reader loads it: from our origin, its two modules compressed ahead (brotli or gzip) for
browsers that accept it, our own scripts gzipped, all under the build's address and kept a year, and a
CSP that lets its worker run without 'unsafe-eval' (meetings/assets.py, meetings/web.py)."""
import gzip
import re
from pathlib import Path

import pytest
from flask import url_for

from tests.conftest import require_or_skip

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "pdfjs"


@pytest.fixture
def built():
    if not (VENDOR / "pdf.worker.min.mjs.gz").is_file():
        require_or_skip("static/vendor is not built (npm ci && npm run build)")
    if not (VENDOR / "pdf.worker.min.mjs.br").is_file():
        require_or_skip("static/vendor was built before its brotli twins (npm run build)")


def test_the_modules_go_compressed_ahead_to_who_accepts_it_and_whole_to_the_others(client, built):
    url = "/static/vendor/pdfjs/pdf.worker.min.mjs"
    original = (VENDOR / "pdf.worker.min.mjs").read_bytes()
    with client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as best:
        assert best.headers["Content-Encoding"] == "br" and best.data == (VENDOR / "pdf.worker.min.mjs.br").read_bytes()
        assert len(best.data) < len(original) / 3 and best.mimetype == "text/javascript"
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"] and zipped.mimetype == "text/javascript"
    assert gzip.decompress(zipped.data) == original and len(zipped.data) < len(original) / 3
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers and plain.data == original
    assert zipped.headers["ETag"] != plain.headers["ETag"]  # two bodies, two validators
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    zipped.close()
    plain.close()
    again.close()


def test_our_scripts_are_gzipped_and_every_file_kept_a_year_under_the_builds_address(app, client, built):
    source = (VENDOR.parents[1] / "js" / "reader" / "main.js").read_bytes()
    with app.test_request_context():
        address = url_for("static", filename="js/reader/main.js")
    assert re.fullmatch(r"/static/b/[0-9a-f]{16}/js/reader/main\.js", address)
    with client.get(address, headers={"Accept-Encoding": "gzip"}) as kept:
        assert kept.headers["Content-Encoding"] == "gzip" and gzip.decompress(kept.data) == source
        assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"  # this build's address
    with app.test_request_context():
        library = url_for("static", filename="vendor/pdfjs/pdf.min.mjs")
    with client.get(library) as kept:
        assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An address of another build (a page from before a deploy): today's file, asked again each time.
    with client.get("/static/b/0123456789abcdef/js/reader/main.js") as old:
        assert old.status_code == 200 and old.data == source and old.headers["Cache-Control"] == "no-cache"
    with client.get("/static/js/reader/main.js") as plain:
        assert plain.data == source and plain.headers["Cache-Control"] == "no-cache"
    for wrong in ("/static/b/0123456789abcdef", "/static/b/x/../../meetings/assets.py", "/static/b/x/js/nothing.js"):
        with client.get(wrong) as refused:
            assert refused.status_code == 404, wrong


def test_the_csp_lets_the_worker_run_from_our_origin_and_never_eval(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "unsafe-eval" not in policy and "wasm-unsafe-eval" not in policy
