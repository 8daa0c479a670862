"""Office files to PDF with LibreOffice, run as an untrusted-input filter: bytes and limits in, PDF
bytes out, or a PdfRejected carrying the reason the secretary reads.

Each conversion gets a fresh LibreOffice profile (two conversions sharing one were seen to produce a
single PDF between them), written before the start with macros disabled outright and VBA neither
loaded nor executable, so a document's macros never run. No `--accept`: nothing listens. The program
runs in its own process group under a memory limit (RLIMIT_AS) and a wall-clock limit; past the limit the whole
group (oosplash, soffice.bin and anything they started) is killed. The PDF it writes then goes through
the same intake as an uploaded PDF (the caller's job).
"""
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from meetings.dossiers.errors import NotAPdf, PdfUnreadable
from meetings.dossiers.office import FAMILY_NAMES, OfficeFormat
from meetings.dossiers.sheets import fit_sheets_to_width

log = logging.getLogger(__name__)

# Macro security at "very high" and macros disabled altogether (the latter also hides the choice from
# any dialogue); VBA projects of Word, Excel and PowerPoint files neither loaded nor run; no update
# check or first-start work in a profile that lives for one file.
PROFILE_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "MacroSecurityLevel": ("int", 3), "DisableMacrosExecution": ("boolean", True),
        "BlockUntrustedRefererLinks": ("boolean", True)},
    "/org.openoffice.Office.Writer/Filter/Import/VBA": {"Load": ("boolean", False), "Executable": ("boolean", False)},
    "/org.openoffice.Office.Calc/Filter/Import/VBA": {"Load": ("boolean", False), "Executable": ("boolean", False)},
    "/org.openoffice.Office.Impress/Filter/Import/VBA": {"Load": ("boolean", False)},
    "/org.openoffice.Office.Common/Misc": {"FirstRun": ("boolean", False), "ShowTipOfTheDay": ("boolean", False)},
    "/org.openoffice.Setup/Office": {"ooSetupInstCompleted": ("boolean", True)},
}
# PDF export options per kind (JSON filter options, LibreOffice 7.4 on): every font embedded, even the
# 14 "standard" ones a viewer is assumed to have; a deck one page per slide, without notes pages.
EXPORT = {
    "text": ("writer_pdf_Export", {"EmbedStandardFonts": True}),
    "spreadsheet": ("calc_pdf_Export", {"EmbedStandardFonts": True}),
    "presentation": ("impress_pdf_Export", {"EmbedStandardFonts": True, "ExportNotesPages": False,
                                            "ExportHiddenSlides": False}),
}


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # seconds of wall-clock time per file
    memory: int = 2048 * 1024 * 1024  # bytes of address space for LibreOffice


def find_soffice(configured: str | None = None) -> str | None:
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def unavailable() -> NotAPdf:
    return NotAPdf("conversion_unavailable", _(
        "Word, Excel, PowerPoint and OpenDocument files cannot be converted here because LibreOffice is not "
        "installed. Save the file as PDF and upload the PDF."))


def failed(fmt: OfficeFormat) -> PdfUnreadable:
    return PdfUnreadable("conversion_failed", _(
        "LibreOffice could not open this %(kind)s file to convert it. It may be damaged, protected by a "
        "password or in a format LibreOffice does not read. Save it as PDF and upload the PDF.",
        kind=FAMILY_NAMES[fmt.family]))


def timed_out(limits: Limits) -> PdfUnreadable:
    return PdfUnreadable("conversion_timeout", _(
        "Converting this file took longer than %(seconds)s seconds and was stopped. Save it as PDF and "
        "upload the PDF.", seconds=int(limits.timeout)))


def to_pdf(data: bytes, fmt: OfficeFormat, program: str | None, limits: Limits = Limits()) -> bytes:
    """The PDF LibreOffice makes of an office file. The work directory, profile included, is removed
    afterwards whatever happens."""
    if program is None or shutil.which(program) is None:  # also a MEETINGS_SOFFICE that is not there
        raise unavailable()
    if fmt.kind == "spreadsheet":
        data = fit_sheets_to_width(data, fmt.ext)
    with tempfile.TemporaryDirectory(prefix="meetings-convert-") as work:
        work_dir = Path(work)
        source = work_dir / f"document.{fmt.ext}"
        source.write_bytes(data)
        profile = work_dir / "profile"
        write_profile(profile)
        out = work_dir / "out"
        export_filter, options = EXPORT[fmt.kind]
        target = f"pdf:{export_filter}:" + json.dumps(
            {name: {"type": "boolean", "value": str(value).lower()} for name, value in options.items()})
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--nodefault", "--nolockcheck",
                   "--convert-to", target, "--outdir", str(out), str(source)]
        started = time.monotonic()
        _run(command, work_dir, limits, fmt)
        result = out / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise failed(fmt)
        log.info("converted a %s file of %d bytes in %.1f s", fmt.ext, len(data), time.monotonic() - started)
        return result.read_bytes()


def write_profile(profile: Path) -> None:
    user = profile / "user"
    user.mkdir(parents=True)
    items = []
    for path, props in PROFILE_SETTINGS.items():
        for name, (kind, value) in props.items():
            text = str(value).lower() if kind == "boolean" else str(value)
            items.append(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                         f'<value>{text}</value></prop></item>')
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + "\n".join(items) + "\n</oor:items>\n",
        encoding="utf-8")


def _run(command: list[str], work_dir: Path, limits: Limits, fmt: OfficeFormat) -> None:
    # The limits are set by a shell that then becomes LibreOffice (exec), so they hold for it and for
    # everything it starts. Not resource.setrlimit in a preexec_fn: the web server runs many threads,
    # and Python warns that a preexec_fn may deadlock the child when other threads hold locks.
    bounded = ["/bin/sh", "-c", 'ulimit -v "$1" && ulimit -c 0 && shift && exec "$@"', "sh",
               str(max(limits.memory // 1024, 1))]
    # HOME in the work directory: LibreOffice and fontconfig write caches there, not in the app's home.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work_dir), "LANG": "C.UTF-8",
           "SAL_USE_VCLPLUGIN": "svp", "TMPDIR": str(work_dir)}
    try:
        process = subprocess.Popen(bounded + command, cwd=work_dir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        log.warning("LibreOffice could not be started: %s", exc)
        raise unavailable() from exc
    try:
        stdout, stderr = process.communicate(timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise timed_out(limits) from None
    finally:
        _kill_group(process)  # whatever it left behind (a stuck soffice.bin after oosplash exited)
    if process.returncode != 0:
        log.info("LibreOffice failed on a %s file (exit %s): %s", fmt.ext, process.returncode,
                 (stderr or stdout)[-500:].decode("utf-8", "replace"))
        raise failed(fmt)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if process.returncode is None:
        process.communicate()
