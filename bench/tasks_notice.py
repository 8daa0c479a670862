"""The conclusion notice: laying out the administrative document with PyMuPDF (a usual notice of
10 conclusions and a long one of 60), and the PAdES signature pyHanko adds on issue."""
from datetime import date, datetime, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from bench.common import bench_app, report, timed
from meetings.tasks import signing
from meetings.tasks.models import SigningCertificate
from meetings.tasks.paper import AdministrativeDocument, Paragraph, Signer, render
from tests.tasks.certs import self_signed

CONCLUSION = ("Giao Vụ Pháp chế chủ trì, phối hợp với các đơn vị liên quan rà soát hồ sơ dự thảo Nghị định sửa đổi, "
              "bổ sung một số điều về quản lý đất đai, trình Bộ trưởng trước ngày 15 tháng 12 năm 2026.")


def notice(conclusions: int) -> AdministrativeDocument:
    body = [Paragraph("Ngày 01 tháng 12 năm 2026, Bộ trưởng Nguyễn Văn Minh đã chủ trì cuộc họp giao ban.")]
    body += [Paragraph(f"{n}. {CONCLUSION}") for n in range(1, conclusions + 1)]
    return AdministrativeDocument(
        issuer="Văn phòng Bộ", governing_body="Bộ Nông nghiệp và Môi trường", number="12/TB-VP", kind="Thông báo",
        summary="Kết luận của Bộ trưởng Nguyễn Văn Minh tại cuộc họp giao ban Lãnh đạo Bộ", body=body,
        signers=[Signer(["TL. Bộ trưởng", "Chánh Văn phòng"], "Trịnh Quang Huy")], place="Hà Nội",
        day=date(2026, 12, 2), recipients=["Bộ trưởng (để b/c)", "Vụ Pháp chế", "Lưu: VT"])


def main() -> None:
    for count in (10, 60):
        document = notice(count)
        pdf = render(document)
        report(f"render a notice of {count} conclusions ({len(pdf) // 1024} KB)", timed(lambda: render(document)))
    app = bench_app()
    with app.app_context():
        key, certificate = self_signed("Văn phòng Bộ", datetime(2026, 1, 1, tzinfo=timezone.utc))
        stored = SigningCertificate(pkcs12=pkcs12.serialize_key_and_certificates(
            b"bench", key, certificate, None, serialization.BestAvailableEncryption(signing._storage_passphrase())))
        pdf = render(notice(10))
        report("PAdES-sign the 10-conclusion notice (pyHanko, ECDSA P-256)",
               timed(lambda: signing.sign(pdf, stored, reason="Thông báo số 12/TB-VP", location="Hà Nội")))


if __name__ == "__main__":
    main()
