"""Rebuild an upload into a fresh PDF without anything that runs: scripts, launches, embedded files, XFA.

`Document.scrub()` is not used: it leaves OpenAction and page JavaScript in place and, by default,
deletes text layers and links. A rebuilt document starts from a clean catalog instead, so the
document-level OpenAction, named scripts, embedded-file tree and AcroForm/XFA never come across;
what pages carry along (annotations, link actions) is then cleaned object by object.
"""
import re

import pymupdf

from meetings.mupdf import serialised

# Actions that only move the reader around, or open a web page.
SAFE_ACTIONS = {"/GoTo", "/Named", "/URI"}
SAFE_URI = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
# Annotations whose whole purpose is to carry a file, a script or media.
UNSAFE_ANNOTS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
# Keys that trigger code or carry files, wherever they appear.
UNSAFE_KEYS = ("AA", "JS", "JavaScript", "OpenAction", "EmbeddedFiles", "EF", "RF", "XFA", "RichMediaContent")


@serialised
def rebuild(source: pymupdf.Document) -> pymupdf.Document:
    """A new document with the source's pages, text, links, bookmarks and labels, and nothing active."""
    # Form fields become plain page content: their values stay visible, their scripts go.
    source.bake(annots=False, widgets=True)
    clean = pymupdf.open()
    clean.insert_pdf(source, links=True, annots=True, widgets=False)
    _strip_objects(clean)
    _drop_unsafe_annots(clean)
    _copy_outline_and_labels(source, clean)
    return clean


def _strip_objects(doc: pymupdf.Document) -> None:
    for xref in range(1, doc.xref_length()):
        keys = doc.xref_get_keys(xref)
        if not keys:
            continue
        for key in UNSAFE_KEYS:
            if key in keys:
                doc.xref_set_key(xref, key, "null")
        if "A" in keys and not _safe_action(doc, xref, "A"):
            doc.xref_set_key(xref, "A", "null")
        if "Next" in keys and "S" in keys:  # actions chained after a safe one (outlines come later)
            doc.xref_set_key(xref, "Next", "null")


def _safe_action(doc: pymupdf.Document, xref: int, key: str) -> bool:
    # The path lookup follows indirect references, so an action stored as its own object is seen too.
    action = doc.xref_get_key(xref, f"{key}/S")[1]
    if action == "/URI":
        return bool(SAFE_URI.match(doc.xref_get_key(xref, f"{key}/URI")[1]))
    return action in SAFE_ACTIONS


def _drop_unsafe_annots(doc: pymupdf.Document) -> None:
    for number in range(doc.page_count):
        page_xref = doc.page_xref(number)
        kind, value = doc.xref_get_key(page_xref, "Annots")
        if kind != "array":
            continue
        refs = re.findall(r"(\d+) 0 R", value)
        kept = [r for r in refs if _keep_annot(doc, int(r))]
        if len(kept) != len(refs):
            doc.xref_set_key(page_xref, "Annots", "[" + " ".join(f"{r} 0 R" for r in kept) + "]")


def _keep_annot(doc: pymupdf.Document, xref: int) -> bool:
    subtype = doc.xref_get_key(xref, "Subtype")[1]
    if subtype == "/Link":  # a link whose action we removed would only be a dead rectangle
        return doc.xref_get_key(xref, "A")[0] != "null" or doc.xref_get_key(xref, "Dest")[0] != "null"
    return subtype not in UNSAFE_ANNOTS


def _copy_outline_and_labels(source: pymupdf.Document, clean: pymupdf.Document) -> None:
    # Bookmarks are rebuilt as plain jumps (their own actions are never copied); a malformed
    # outline is dropped rather than refusing an otherwise good document.
    toc = [entry for entry in source.get_toc(simple=True) if 1 <= entry[2] <= clean.page_count]
    try:
        clean.set_toc(toc)
    except (ValueError, RuntimeError):
        pass
    labels = source.get_page_labels()
    if labels:
        try:
            clean.set_page_labels(labels)
        except (ValueError, RuntimeError):
            pass
    meta = {k: v for k, v in source.metadata.items() if k in ("title", "author", "subject", "keywords") and v}
    if meta:
        clean.set_metadata(meta)
