"""Certificates made in the test with `cryptography` (no binary fixtures), and a check of a signed
PDF with pyHanko's own validation, trusting only the certificate we made."""
from datetime import datetime, timedelta
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def self_signed(name: str, not_before: datetime, days: int = 365):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(not_before).not_valid_after(not_before + timedelta(days=days))
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                key_encipherment=False, data_encipherment=False,
                                                key_agreement=False, key_cert_sign=True, crl_sign=False,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    return key, certificate


def p12(key, certificate, passphrase: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(b"test", key, certificate, None,
                                                 serialization.BestAvailableEncryption(passphrase.encode()))


def validate(pdf: bytes, certificate, moment: datetime):
    """pyHanko's status of the PDF's only signature, trusting `certificate` as the root."""
    root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[root], moment=moment, allow_fetching=False)
    return validate_pdf_signature(signature, signer_validation_context=context)
