"""The merged dossier: cover with the agenda, bookmarks per item, page labels, the reader's stamp."""
import pymupdf

from meetings.dossiers.dossier import Cover, merge_dossier
from tests.dossiers import pdfs

READER = ["Trần Văn Đức", "Văn phòng Bộ", "12/03/2026 08:30"]


def make_dossier() -> pymupdf.Document:
    cover = Cover("Họp giao ban Đảng ủy tháng 3", "09:00 thứ Ba, 12/03/2026", "Phòng họp 301")
    items = [
        ("Báo cáo quý I", [pdfs.text_pdf(2), pdfs.text_pdf(1)]),
        ("Ý kiến các đơn vị", []),
        ("Kế hoạch quý II", [pdfs.text_pdf(3, rotations=(90,))]),
    ]
    return pymupdf.open(stream=merge_dossier(cover, items, READER), filetype="pdf")


def test_the_cover_lists_the_meeting_and_its_agenda_in_vietnamese():
    cover = make_dossier()[0].get_text()
    for words in ("Họp giao ban Đảng ủy tháng 3", "12/03/2026", "Phòng họp 301", "Báo cáo quý I",
                  "Ý kiến các đơn vị", "Kế hoạch quý II"):
        assert words in cover


def test_bookmarks_point_to_each_item_and_labels_restart_per_item():
    doc = make_dossier()
    assert doc.page_count == 1 + 3 + 3
    toc = doc.get_toc()
    assert [entry[1:] for entry in toc[1:]] == [["1. Báo cáo quý I", 2], ["3. Kế hoạch quý II", 5]]
    labels = [page.get_label() for page in doc]
    assert labels[1:] == ["1-1", "1-2", "1-3", "3-1", "3-2", "3-3"]
    assert "Trang 1." in doc[4].get_text()


def test_every_page_of_the_dossier_is_stamped():
    for page in make_dossier():
        assert READER[0] in page.get_text()
