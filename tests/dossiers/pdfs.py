"""PDFs made with PyMuPDF for the tests: the story of each file is in the function that makes it."""
import pymupdf

from meetings.dossiers.pdf import vietnamese_font_buffer

VIETNAMESE = "Báo cáo tổng kết công tác năm của Đảng ủy; đề nghị các đơn vị góp ý."


def text_pdf(pages: int = 3, *, rotations: tuple[int, ...] = (0,), text: str | None = None,
             size: tuple[float, float] = (595, 842)) -> bytes:
    """A plain text document; page i says "Trang i" (Vietnamese text in an embedded Noto font)."""
    doc = pymupdf.open()
    for number in range(1, pages + 1):
        page = doc.new_page(width=size[0], height=size[1])
        page.insert_font(fontname="noto", fontbuffer=vietnamese_font_buffer())
        body = text if text is not None else f"Trang {number}. {VIETNAMESE}"
        page.insert_textbox(pymupdf.Rect(50, 50, size[0] - 50, size[1] - 50), body, fontname="noto", fontsize=11)
        page.set_rotation(rotations[(number - 1) % len(rotations)])
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)


def hostile_pdf() -> bytes:
    """A PDF that tries everything: OpenAction JavaScript, page and named scripts, an embedded
    executable, a file attachment, a launch link, a javascript: link, XFA; plus an ordinary web link."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Ordinary meeting minutes", fontsize=14)
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 120, 300, 140), "uri": "https://example.org/"})
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 150, 300, 170), "file": "calc.exe"})
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 180, 300, 200), "uri": "javascript:app.alert(1)"})
    page.add_file_annot((72, 220), b"MZ evil", "evil.exe")
    doc.embfile_add("payload.exe", b"MZ payload", filename="payload.exe")
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "OpenAction", "<</S/JavaScript/JS(app.alert\\('open'\\))>>")
    names = doc.xref_get_key(catalog, "Names")
    script = doc.get_new_xref()
    doc.update_object(script, "<</S/JavaScript/JS(app.alert\\('named'\\))>>")
    doc.xref_set_key(catalog, "Names/JavaScript", f"<</Names[(x) {script} 0 R]>>")
    assert names[0] != "null"  # the embedded-file tree is there too
    xfa = doc.get_new_xref()
    doc.update_object(xfa, "<<>>")
    doc.update_stream(xfa, b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>evil()</script></xdp:xdp>")
    doc.xref_set_key(catalog, "AcroForm", f"<</Fields[]/XFA {xfa} 0 R>>")
    doc.xref_set_key(page.xref, "AA", "<</O <</S/JavaScript/JS(app.alert\\('page'\\))>>>>")
    return doc.tobytes()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Confidential")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_password, owner_pw="owner")


def lying_page_tree_pdf(declared: int) -> bytes:
    """A file of under a megabyte whose page tree claims `declared` pages, all the same page.

    Written by hand: PyMuPDF refuses to save such a tree.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (declared, b" ".join([b"3 0 R"] * declared)),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
