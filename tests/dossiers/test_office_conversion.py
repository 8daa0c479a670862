"""Macros never run while LibreOffice converts: a macro-enabled Word file (.docm) converts like a .docx,
and an OpenDocument text whose Basic macro is bound to the document's open event converts without
the macro writing the file it would write.

Limits of this check, measured on Debian's LibreOffice 7.4: with `--convert-to` we could not make a
document macro run even in a profile set to the lowest macro security, so today the marker stays
absent with or without our profile, and this test cannot tell them apart: it guards against a
LibreOffice that starts running them. The guarantee is our profile (macros disabled, VBA neither
loaded nor executable), whose settings test_office.py checks. The .docm carries no
VBA project: nothing here can write one, and LibreOffice does not import VBA into it (VBA Load=false)."""

from concurrent.futures import ThreadPoolExecutor

import pymupdf
import pytest

from meetings.dossiers import convert, office
from tests.conftest import require_or_skip
from tests.dossiers import office_samples as samples


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Both files converted side by side (LibreOffice takes seconds each), once for the module."""
    if convert.find_soffice() is None:
        require_or_skip("LibreOffice is not installed (.ci/run installs it)")
    marker = tmp_path_factory.mktemp("macro") / "the-macro-ran.txt"
    files = {"docm": (samples.sample("docm"), "Dự thảo.docm"),
             "macro": (samples.odt(macro_marker=marker), "Có macro.odt")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = dict(zip(files, pool.map(lambda item: samples.converted(*item), files.values())))
    return pdfs, marker


def test_a_docm_converts_like_a_docx(converted):
    assert office.recognise(samples.sample("docm"), "Dự thảo.docm").ext == "docm"
    with pymupdf.open(stream=converted[0]["docm"], filetype="pdf") as pdf:
        assert pdf.page_count == 2
        assert "Đảng ủy" in pdf[1].get_text()


def test_a_macro_bound_to_opening_the_document_does_not_run(converted):
    pdfs, marker = converted
    with pymupdf.open(stream=pdfs["macro"], filetype="pdf") as pdf:
        assert pdf.page_count == 2
    assert not marker.exists()
