"""The README's production section shows what tests/production runs, not a copy that drifts."""
import re

from tests.production.servers import GUNICORN, ROOT, SITE


def without_comments(text: str) -> list[str]:
    lines = [re.sub(r"\s+#.*$", "", line).rstrip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [line for n, line in enumerate(lines) if line or (n and lines[n - 1])]  # blank runs as one


def test_the_readme_shows_the_tested_nginx_configuration_and_gunicorn_command():
    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    assert without_comments(shown) == without_comments(SITE.read_text())  # comments may differ, nothing else
    command = "gunicorn " + " ".join(GUNICORN[2:]) + " -b 127.0.0.1:8000 wsgi:app"
    assert command in readme
    for unit in ("meetings-web@.service", "meetings-scheduler.service", "meetings-worker.service"):
        assert (ROOT / "deploy" / unit).exists() and unit in readme
    assert command in (ROOT / "deploy" / "meetings-web@.service").read_text().replace("%i", "8000")
