"""/metrics with PROMETHEUS_MULTIPROC_DIR, as the README sets it for several gunicorn workers on one
host: a scrape of one process adds up the requests every process served."""
import os
import subprocess
import sys
from pathlib import Path

from tests.ops.test_health import _sample

ROOT = Path(__file__).resolve().parents[2]
# One process of the app: serve /healthz N times, then (when asked) scrape /metrics and print it.
PROCESS = """
import sys
from meetings import create_app
from meetings.extensions import db
times, folder, scrape = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "scrape"
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/app.db",
                  "SECRET_KEY": "metrics-test-secret-key-0123456789", "MEETINGS_STORAGE": f"{folder}/storage"})
client = app.test_client()
for _ in range(times):
    assert client.get("/healthz").status_code == 200
if scrape:
    with app.app_context():
        db.create_all()
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    sys.stdout.write(response.get_data(as_text=True))
"""


def test_a_scrape_of_one_process_sums_every_processs_requests(tmp_path):
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(ROOT)}

    def start(times: int, scrape: bool) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", PROCESS, str(times), str(tmp_path), "scrape" if scrape else "-"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    served = [start(3, False), start(4, False)]  # two workers of one host, at once
    for process in served:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors[-2000:]
    scraper = start(0, True)  # a third, scraped afterwards: the two others have ended, their counts stay
    text, errors = scraper.communicate(timeout=120)
    assert scraper.returncode == 0, errors[-2000:]
    assert _sample(text, "meetings_request_seconds_count", route="/healthz", method="GET", status="200") == 7
