"""Where files go on several hosts: documents in MEETINGS_STORAGE (shared), generated files in
MEETINGS_CACHE (each host's own, under its instance folder unless set)."""
import os

from meetings import config, create_app
from meetings.dossiers import storage
from tests.conftest import app_config


def test_each_host_caches_under_its_own_instance_folder_unless_told(monkeypatch, tmp_path):
    monkeypatch.setenv("MEETINGS_STORAGE", "/srv/meetings-storage")
    monkeypatch.delenv("MEETINGS_CACHE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = config.from_environment(str(tmp_path / "instance"))
    assert settings["MEETINGS_STORAGE"] == "/srv/meetings-storage"
    assert settings["MEETINGS_CACHE"] == str(tmp_path / "instance" / "cache")
    monkeypatch.setenv("MEETINGS_CACHE", "/var/cache/meetings")
    assert config.from_environment(str(tmp_path / "instance"))["MEETINGS_CACHE"] == "/var/cache/meetings"


def test_generated_files_go_to_the_cache_setting_and_each_host_purges_its_own(tmp_path):
    url = "sqlite:///" + str(tmp_path / "unused.db")
    app = create_app(app_config(url, tmp_path, MEETINGS_CACHE=str(tmp_path / "local-cache")))
    with app.app_context():
        storage.cache().put("ab" * 32, b"page")
        storage.cache().put("cd" * 32, b"old page")
        assert storage.pdf_path(1, 2, 1).is_relative_to(tmp_path / "storage")
    fresh, stale = tmp_path / "local-cache" / "ab" / ("ab" * 32), tmp_path / "local-cache" / "cd" / ("cd" * 32)
    assert fresh.read_bytes() == b"page"
    assert not (tmp_path / "storage").exists()

    # Last read in 1970 and in 2100: which one is unread for 30 days does not depend on today's date.
    os.utime(stale, (0, 0))
    os.utime(fresh, (4102444800, 4102444800))
    result = app.test_cli_runner().invoke(args=["purge-cache"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{tmp_path / 'local-cache'}: 1 unread files removed\n"
    assert fresh.exists() and not stale.exists()
