"""A workbook's sheets set to print fit to the page width (as many pages down as it takes), before
LibreOffice prints it: a table cut into vertical strips across pages cannot be read on a tablet.

LibreOffice's PDF export has no such option (SinglePageSheets makes one page as tall as the sheet), so
the page setup stored in the file is changed instead: Excel's fitToWidth=1 fitToHeight=0 (in each
.xlsx sheet's XML, or in the WSBOOL and SETUP records of an .xls), and the OpenDocument page layout's
scale-to-X=1 scale-to-Y=0, which LibreOffice reads as the same thing. A file whose page setup we
cannot find or read is converted as it is.
"""
import io
import re
import zipfile

import olefile

_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def fit_sheets_to_width(data: bytes, ext: str) -> bytes:
    try:
        if ext in ("xlsx", "xlsm"):
            return _rewrite_zip(data, lambda name: bool(_WORKSHEET.match(name)), _ooxml_sheet)
        if ext == "ods":
            return _rewrite_zip(data, lambda name: name == "styles.xml", _odf_styles)
        if ext == "xls":
            return _biff(data)
    except (zipfile.BadZipFile, UnicodeDecodeError, KeyError, OSError, EOFError, ValueError):
        pass  # LibreOffice then says whether it can read the file at all
    return data


def _rewrite_zip(data: bytes, wanted, rewrite) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if wanted(info.filename):
                content = rewrite(content.decode("utf-8")).encode("utf-8")
            # `mimetype` stays first and stored, as OpenDocument requires; the others keep their method.
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


def _ooxml_sheet(xml: str) -> str:
    # <sheetPr> comes first in a worksheet, <pageSetUpPr> last inside it (ECMA-376 CT_SheetPr).
    if re.search(r"<(\w+:)?pageSetUpPr\b", xml):
        xml = re.sub(r"<((?:\w+:)?pageSetUpPr)\b([^>]*?)(/?)>",
                     lambda m: f'<{m[1]}{_without(m[2], "fitToPage")} fitToPage="1"{m[3]}>', xml, count=1)
    elif re.search(r"<(\w+:)?sheetPr\b[^>]*/>", xml):
        xml = re.sub(r"<((?:\w+:)?)sheetPr\b([^>]*?)/>",
                     lambda m: f'<{m[1]}sheetPr{m[2]}><{m[1]}pageSetUpPr fitToPage="1"/></{m[1]}sheetPr>', xml, count=1)
    elif re.search(r"</(\w+:)?sheetPr>", xml):
        xml = re.sub(r"</((?:\w+:)?)sheetPr>", lambda m: f'<{m[1]}pageSetUpPr fitToPage="1"/></{m[1]}sheetPr>',
                     xml, count=1)
    else:
        xml = re.sub(r"(<((?:\w+:)?)worksheet\b[^>]*>)", lambda m: f'{m[1]}<{m[2]}sheetPr><{m[2]}pageSetUpPr '
                     f'fitToPage="1"/></{m[2]}sheetPr>', xml, count=1)
    # <pageSetup> follows <pageMargins> (and <printOptions>): change it, or add it after the margins.
    if re.search(r"<(\w+:)?pageSetup\b", xml):
        return re.sub(r"<((?:\w+:)?pageSetup)\b([^>]*?)(/?)>",
                      lambda m: f'<{m[1]}{_without(m[2], "fitToWidth", "fitToHeight")} fitToWidth="1" '
                                f'fitToHeight="0"{m[3]}>', xml, count=1)
    return re.sub(r"(<((?:\w+:)?)pageMargins\b[^>]*/>)",
                  lambda m: f'{m[1]}<{m[2]}pageSetup fitToWidth="1" fitToHeight="0"/>', xml, count=1)


def _odf_styles(xml: str) -> str:
    return re.sub(r"<style:page-layout-properties\b([^>]*?)(/?)>",
                  lambda m: (f'<style:page-layout-properties'
                             f'{_without(m[1], "style:scale-to", "style:scale-to-pages", "style:scale-to-X", "style:scale-to-Y")}'
                             f' style:scale-to-X="1" style:scale-to-Y="0"{m[2]}>'), xml)


def _biff(data: bytes) -> bytes:
    """Excel 97-2003: each sheet's WSBOOL gets fFitToPage and its SETUP 1 page wide, any number high.
    Both records have a fixed size, so the stream is changed in place (olefile writes same-size streams
    only); a sheet without them is left as it is."""
    with olefile.OleFileIO(data, write_mode=True) as ole:
        name = "Workbook" if ole.exists("Workbook") else None
        if name is None:
            return data
        stream = bytearray(ole.openstream(name).read())
        offset = 0
        while offset + 4 <= len(stream):
            kind = int.from_bytes(stream[offset:offset + 2], "little")
            length = int.from_bytes(stream[offset + 2:offset + 4], "little")
            body = offset + 4
            if kind == 0x0081 and length == 2:  # WSBOOL
                flags = int.from_bytes(stream[body:body + 2], "little") | 0x0100
                stream[body:body + 2] = flags.to_bytes(2, "little")
            elif kind == 0x00A1 and length >= 10:  # SETUP: iFitWidth at 6, iFitHeight at 8
                stream[body + 6:body + 10] = (1).to_bytes(2, "little") + (0).to_bytes(2, "little")
            offset = body + length
        ole.write_stream(name, bytes(stream))
        return ole.fp.getvalue()


def _without(attributes: str, *names: str) -> str:
    for name in names:
        attributes = re.sub(rf'\s{re.escape(name)}="[^"]*"', "", attributes)
    return attributes
