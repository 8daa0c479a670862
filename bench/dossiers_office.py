"""Office files to PDF with LibreOffice: wall-clock time per format, one conversion at a time, each with
its own fresh profile as in production. The samples are the tests' own (tests/dossiers/office_samples.py:
a Vietnamese two-page tờ trình in each text format, a two-sheet workbook, a three-slide deck) plus a
40-page .docx; the baseline is LibreOffice starting and stopping with nothing to convert.

Needs LibreOffice and the test-only packages (requirements-dev.txt). BENCH_REPEAT sets the repeats.
"""
import io
import os
import subprocess
import tempfile
from pathlib import Path

from bench.common import report, timed
from meetings.dossiers import convert, office
from meetings.dossiers.intake import intake
from tests.dossiers import office_samples as samples

FORMATS = ["docx", "doc", "odt", "rtf", "xlsx", "xls", "pptx"]


def long_docx(pages: int = 40) -> bytes:
    import docx as python_docx
    from docx.enum.text import WD_BREAK

    document = python_docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    for number in range(1, pages + 1):
        document.add_paragraph(f"Trang {number}. " + samples.PAGE_TWO + ". " + samples.PAGE_ONE * 8)
        if number < pages:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def start_and_stop(program: str) -> None:
    with tempfile.TemporaryDirectory(prefix="meetings-bench-lo-") as work:
        convert.write_profile(Path(work) / "profile")
        subprocess.run([program, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless",
                        "--norestore", "--terminate_after_init"], check=True, capture_output=True,
                       env={"PATH": os.environ["PATH"], "HOME": work}, timeout=120)


def main() -> None:
    program = convert.find_soffice()
    if program is None:
        print("LibreOffice is not installed: nothing to measure")
        return
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    report("LibreOffice start and stop, fresh profile (baseline)", timed(lambda: start_and_stop(program),
                                                                           repeat=repeat, warmup=1))
    cases = [(ext, samples.sample(ext)) for ext in FORMATS] + [("docx, 40 pages", long_docx())]
    for label, data in cases:
        fmt = office.recognise(data, f"x.{label.split(',')[0]}")
        pdf = convert.to_pdf(data, fmt, program)
        pages = intake(pdf).pages
        report(f"{label} ({len(data) // 1024} KB) -> PDF, {pages} pages",
               timed(lambda: convert.to_pdf(data, fmt, program), repeat=repeat, warmup=0))
