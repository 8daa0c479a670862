"""The drawing pool: child processes that draw for a web process, so that drawing uses every core."""
import pytest

from meetings.dossiers.pages import page_image, thumbnail
from meetings.dossiers.watermark import stamped_page
from meetings.drawpool import DrawingFailed, Pool
from meetings.errors import NotFound
from tests.dossiers import pdfs


@pytest.fixture
def pool():
    made = Pool(1, "tests.dossiers.drawpool_handlers")
    yield made
    made.close()


def test_a_child_answers_refuses_and_is_replaced_when_it_dies(pool):
    first = pool.run("pid", timeout=30)
    big = {"page": 3, "data": b"\xff" * 200_000}  # larger than a pipe's buffer, as a page image is
    assert pool.run("echo", big, timeout=30) == big
    with pytest.raises(ValueError, match="no such page"):  # the child's exception, raised in the asker
        pool.run("refuse", "no such page", timeout=30)
    assert pool.run("pid", timeout=30) == first  # a refusal leaves the child alive
    with pytest.raises(DrawingFailed):
        pool.run("die", timeout=30)
    assert pool.run("pid", timeout=30) != first  # the next task gets a fresh child


def test_a_child_draws_what_the_asking_thread_would(tmp_path):
    path = tmp_path / "v1.pdf"
    path.write_bytes(data := pdfs.text_pdf(3))
    children = Pool(1, "meetings.dossiers.drawing")
    try:
        assert children.run("page", str(path), "sha", 2, 1024, "jpeg", False, timeout=60) == page_image(data, 2, 1024)
        assert children.run("page", str(path), "sha", 2, 1024, "jpeg", True, timeout=60) == thumbnail(data, 2)
        lines = ("Nguyễn Văn An", "Vụ Pháp chế", "10:00 02/12/2026")
        stamped = children.run("stamped", str(path), "sha", 1, 1024, lines, "jpeg", None, timeout=60)
        assert stamped == stamped_page(lambda: data, "sha-here", 1, 1024, lines)
        copy = children.run("copy", str(path), lines, timeout=60)
        assert copy.startswith(b"%PDF-")
        with pytest.raises(NotFound):
            children.run("page", str(path), "sha", 9, 1024, "jpeg", False, timeout=60)
    finally:
        children.close()

