"""Signing issued notices digitally (PAdES B-B, with pyHanko) with the certificate an admin uploads.

The admin uploads a PKCS#12 file (.p12/.pfx) and its passphrase once. We check it, then keep the key
re-encrypted under a key derived from SECRET_KEY, in the database: the admin's passphrase is never
stored or logged, a database dump alone does not give the key away, every web process (on every
host) signs with the same certificate, and a failed upload saves nothing (one transaction).
Changing SECRET_KEY makes the stored key unreadable: the admin uploads the certificate again.
"""
import hashlib
import hmac
from datetime import datetime, timezone
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import current_app
from flask_babel import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from sqlalchemy import delete, select

from meetings.auth.permissions import can_set_signing_certificate
from meetings.errors import Forbidden, ServiceError, ValidationFailed
from meetings.extensions import db
from meetings.tasks.models import SigningCertificate

MAX_BYTES = 100_000  # a PKCS#12 with a key and a chain is a few kilobytes
FIELD_NAME = "ChuKySo"  # chữ ký số


class SigningFailed(ServiceError):
    status = 500
    code = "signing_failed"


def _storage_passphrase() -> bytes:
    """The passphrase the stored PKCS#12 is encrypted with: SECRET_KEY, bent to this one purpose."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"meetings/conclusion-notice-signing-key", hashlib.sha256).hexdigest().encode()


def current_certificate() -> SigningCertificate | None:
    return db.session.scalar(select(SigningCertificate).order_by(SigningCertificate.id.desc()).limit(1))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _read_pkcs12(data: bytes, passphrase: str, now: datetime):
    """The key, certificate and chain from an upload, or ValidationFailed saying what is wrong."""
    if not data:
        raise ValidationFailed({"certificate": _("Choose a .p12 or .pfx file.")})
    if len(data) > MAX_BYTES:
        raise ValidationFailed({"certificate": _("This file is too large for a certificate.")})
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except (ValueError, TypeError):
        # The library cannot tell a wrong passphrase from a broken file; neither can we.
        raise ValidationFailed({"certificate": _("Not a PKCS#12 file, or the passphrase is wrong.")}) from None
    if key is None or certificate is None:
        raise ValidationFailed({"certificate": _("The file must hold a private key and its certificate.")})
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != \
            certificate.public_key().public_bytes(serialization.Encoding.DER, public):
        raise ValidationFailed({"certificate": _("The private key does not belong to the certificate.")})
    if not _utc(certificate.not_valid_before_utc) <= _utc(now) < _utc(certificate.not_valid_after_utc):
        raise ValidationFailed({"certificate": _("The certificate is not valid now (see its validity dates).")})
    return key, certificate, chain or []


def install_certificate(data: bytes, passphrase: str, actor, now: datetime) -> SigningCertificate:
    """Replace the signing certificate (admins only)."""
    if not can_set_signing_certificate(actor):
        raise Forbidden(_("Only an administrator may set the signing certificate."))
    key, certificate, chain = _read_pkcs12(data, passphrase or "", now)
    stored = pkcs12.serialize_key_and_certificates(
        b"conclusion-notices", key, certificate, chain,
        serialization.BestAvailableEncryption(_storage_passphrase()))
    db.session.execute(delete(SigningCertificate))
    row = SigningCertificate(
        pkcs12=stored, subject=certificate.subject.rfc4514_string()[:500],
        issuer=certificate.issuer.rfc4514_string()[:500], serial=format(certificate.serial_number, "x")[:100],
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(), not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc, uploaded_by_id=actor.id, uploaded_at=now)
    db.session.add(row)
    db.session.commit()
    return row


def remove_certificate(actor) -> None:
    if not can_set_signing_certificate(actor):
        raise Forbidden(_("Only an administrator may set the signing certificate."))
    db.session.execute(delete(SigningCertificate))
    db.session.commit()


def sign(pdf: bytes, stored: SigningCertificate, reason: str, location: str | None) -> bytes:
    """The PDF with an invisible PAdES B-B signature over the whole file, appended as an incremental
    update (the signed bytes stay exactly what was rendered)."""
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(stored.pkcs12, other_certs=[],
                                                       passphrase=_storage_passphrase())
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise SigningFailed(_("The signing certificate cannot be read (was SECRET_KEY changed?). "
                              "An administrator must upload it again."))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def describe(stored: SigningCertificate) -> dict:
    """What the admin page shows of the certificate (never the key)."""
    common = x509.Name.from_rfc4514_string(stored.subject) if stored.subject else None
    names = [a.value for a in common.get_attributes_for_oid(x509.NameOID.COMMON_NAME)] if common else []
    return {"name": names[0] if names else stored.subject, "subject": stored.subject, "issuer": stored.issuer,
            "serial": stored.serial, "fingerprint": stored.fingerprint, "not_before": stored.not_before,
            "not_after": stored.not_after, "uploaded_at": stored.uploaded_at,
            "uploaded_by": stored.uploaded_by.name if stored.uploaded_by else None}
