"""Search in page texts: accents, đ and case ignored; the snippet shows the original words, the hit marked."""
import unicodedata

from meetings.dossiers.textindex import PageHit, folded_with_offsets, search_pages
from meetings.text import fold_vietnamese

PAGES = [
    "Danh sách đại biểu",
    "Báo cáo của Đảng ủy\nvề <công tác> năm 2025 & kế hoạch.",
    "Không có gì ở đây",
]


def test_d_without_stroke_finds_dj_with_it_in_either_case():
    assert [hit.page for hit in search_pages(PAGES, "dang uy")] == [2]
    assert search_pages(PAGES, "ĐẢNG ỦY") == search_pages(PAGES, "dang uy")


def test_the_snippet_is_the_original_text_with_the_hit_marked_and_the_rest_escaped():
    [hit] = search_pages(PAGES, "cong tac")
    assert hit == PageHit(2, "Báo cáo của Đảng ủy về &lt;<mark>công tác</mark>&gt; năm 2025 &amp; kế hoạch.")


def test_every_hit_in_the_window_is_marked():
    [hit] = search_pages(["Đà Nẵng và đà phát triển; DA"], "da")
    assert hit.snippet == "<mark>Đà</mark> Nẵng và <mark>đà</mark> phát triển; <mark>DA</mark>"


def test_decomposed_text_maps_back_to_whole_letters():
    text = unicodedata.normalize("NFD", "Ý kiến của Đảng ủy")
    [hit] = search_pages([text], "dang")
    marked = hit.snippet.split("<mark>")[1].split("</mark>")[0]
    assert unicodedata.normalize("NFC", marked) == "Đảng"


def test_a_query_across_a_line_break_matches():
    assert [hit.page for hit in search_pages(PAGES, "dang uy ve")] == [2]


def test_folding_with_offsets_agrees_with_the_one_folding_function():
    for text in PAGES + ["  Trường   ĐẠI\thọc  ", unicodedata.normalize("NFD", "Nguyễn Thị Hồng Đào")]:
        folded, origin = folded_with_offsets(text)
        assert folded == fold_vietnamese(text)
        assert len(origin) == len(folded)


def test_a_long_page_gives_a_short_snippet_with_ellipses():
    text = "mở đầu " * 40 + "nghị quyết" + " kết thúc" * 40
    [hit] = search_pages([text], "nghi quyet")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "<mark>nghị quyết</mark>" in hit.snippet
    assert len(hit.snippet) < 200


def test_an_empty_query_finds_nothing():
    assert search_pages(PAGES, "  ") == []
