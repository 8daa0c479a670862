"""Macros never run while LibreOffice converts: a macro-enabled Word file (.docm) converts like a .docx,
and an OpenDocument text whose Basic macro is bound to the document's open event converts without
the macro writing the file it would write.

Limits of this check, measured on Debian's LibreOffice 7.4: with `--convert-to` we could not make a
document macro run even in a profile set to the lowest macro security, so today the marker stays
absent with or without our profile; the test guards against a LibreOffice that starts running them.
What makes them not run is our profile (test_office.py checks its settings). The .docm carries no
VBA project: nothing here can write one, and LibreOffice does not import VBA into it (VBA Load=false)."""

import pymupdf
import pytest

from meetings.dossiers import convert, office
from tests.conftest import require_or_skip
from tests.dossiers import office_samples as samples


@pytest.fixture(scope="module")
def program():
    found = convert.find_soffice()
    if found is None:
        require_or_skip("LibreOffice is not installed (.ci/run installs it)")
    return found


def test_a_docm_converts_like_a_docx(program):
    data = samples.sample("docm")
    assert office.recognise(data, "Dự thảo.docm").ext == "docm"
    with pymupdf.open(stream=samples.converted(data, "Dự thảo.docm"), filetype="pdf") as pdf:
        assert pdf.page_count == 2
        assert "Đảng ủy" in pdf[1].get_text()


def test_a_macro_bound_to_opening_the_document_does_not_run(program, tmp_path_factory):
    marker = tmp_path_factory.mktemp("macro") / "the-macro-ran.txt"
    data = samples.odt(macro_marker=marker)
    pdf = samples.converted(data, "Có macro.odt")
    assert pymupdf.open(stream=pdf, filetype="pdf").page_count == 2
    assert not marker.exists()
