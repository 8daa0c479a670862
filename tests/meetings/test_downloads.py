"""File names leave us cleaned: the base name only, no control characters or markup, RFC 6266 filename*."""
import pytest

from meetings.downloads import content_disposition
from tests.dossiers import pdfs


@pytest.mark.parametrize("given,plain,encoded", [
    ("../../../etc/evil<script>.html", "evil_script_.html", "evil_script_.html"),
    ("C:\\Users\\x\\Tờ trình.pdf", "To trinh.pdf", "T%E1%BB%9D%20tr%C3%ACnh.pdf"),
    ("Báo cáo\r\nSet-Cookie: a=b.pdf", "Bao cao Set-Cookie_ a_b.pdf", "B%C3%A1o%20c%C3%A1o%20Set-Cookie_%20a%3Db.pdf"),
    ('a"b;c%41\u200b\x00.pdf', "a_b_c_41.pdf", "a_b_c_41.pdf"),
    ("..", "download", "download"),
    ("Đề án số 5.pdf", "De an so 5.pdf", "%C4%90%E1%BB%81%20%C3%A1n%20s%E1%BB%91%205.pdf"),
])
def test_a_file_name_is_its_cleaned_base_name_with_an_ascii_fallback(given, plain, encoded):
    assert content_disposition(given) == f"attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"


def test_an_uploaded_name_with_a_path_and_markup_comes_back_cleaned(board):
    meeting = board.meeting()["id"]
    response = board.upload(meeting, pdfs.text_pdf(1), filename="../../../etc/evil<script>.pdf")
    assert response.status_code == 202, response.json
    original = board.get(board.admin, f"/api/v1/documents/{response.json['id']}/original")
    assert original.status_code == 200
    header = original.headers["Content-Disposition"]
    assert header == "attachment; filename=\"evil_script_.pdf\"; filename*=UTF-8''evil_script_.pdf"
    personal = board.get(board.member, f"/api/v1/documents/{response.json['id']}/file").headers["Content-Disposition"]
    assert "/" not in personal and "<" not in personal and ".." not in personal
