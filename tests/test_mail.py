"""The KCC digest by e-mail: a real SMTP server (aiosmtpd) on 127.0.0.1 with STARTTLS and login."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import page
from tests.helpers import nachtwacht


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's own CA file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "smtp.crt", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Inbox:
    """The SMTP server's handler: keeps every message and whether it came over TLS."""

    def __init__(self):
        self.messages: list[tuple[email.message.EmailMessage, bool, list[str]]] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((message, session.ssl is not None, list(envelope.rcpt_tos)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"kcc-robot" and auth_data.password == b"geheim-wachtwoord"
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(tmp_path):
    cert, key = certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=inbox.authenticate,
                            auth_require_tls=True)
    controller.start()
    yield controller, inbox, cert
    controller.stop()


def site_config(tmp_path: Path, url: str, notify: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(f'[site]\nname = "Voorbeeldstad"\nstart_urls = ["{url}"]\n'
                    f'allowed_domains = ["127.0.0.1"]\n\n'
                    f'[[task]]\nid = "paspoort"\nname = "Paspoort aanvragen"\n'
                    f'match = ["/paspoort"]\n\n[notify]\n{notify}', encoding="utf-8")
    return path


def run(config: Path, out: Path, **env) -> subprocess.CompletedProcess:
    return nachtwacht("run", "--config", config, "--out", out, extra_env=env)


def test_the_digest_arrives_over_starttls_with_the_login_from_the_environment(
        make_site, smtp_server, tmp_path):
    controller, inbox, cert = smtp_server
    server = make_site({"index.html": page("Home", '<a href="/paspoort">Paspoort</a>'
                                                   '<form action="/bestaat-niet" method="post">'
                                                   '<label>Naam <input name="n"></label></form>'),
                        "paspoort.html": page("Paspoort")})
    config = site_config(tmp_path, server.url("/"), (
        f'email = ["kcc@voorbeeldstad.nl", "webredactie@voorbeeldstad.nl"]\n'
        f'smtp_host = "127.0.0.1"\nsmtp_port = {controller.port}\n'
        f'sender = "nachtwacht@voorbeeldstad.nl"\nusername_env = "KCC_SMTP_USER"\n'
        f'password_env = "KCC_SMTP_PASSWORD"\nca_file = "{cert}"\n'))
    done = run(config, tmp_path / "out", KCC_SMTP_USER="kcc-robot",
               KCC_SMTP_PASSWORD="geheim-wachtwoord")
    assert done.returncode == 0, done.stderr
    assert inbox.logins == ["kcc-robot"]
    [(message, over_tls, recipients)] = inbox.messages
    assert over_tls
    assert recipients == ["kcc@voorbeeldstad.nl", "webredactie@voorbeeldstad.nl"]
    assert message["Subject"] == "nachtwacht Voorbeeldstad: 1 wijziging voor het KCC"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Formulieren met een probleem (1)" in text
    assert "het verzenden werkt niet" in text
    assert "<h2" in html and "Formulieren met een probleem" in html
    assert str((tmp_path / "out" / "report" / "index.html").resolve()) in text
    for stored in (tmp_path / "out").rglob("*"):       # the password is nowhere on disk
        if stored.is_file():
            assert b"geheim-wachtwoord" not in stored.read_bytes(), stored


def test_a_mail_server_that_is_down_is_a_warning_not_a_failed_run(make_site, tmp_path):
    server = make_site({"index.html": page("Home", '<form action="/weg"><input name="q" '
                                                   'aria-label="Zoeken"></form>')})
    config = site_config(tmp_path, server.url("/"),
                         f'email = ["kcc@voorbeeldstad.nl"]\nsmtp_host = "127.0.0.1"\n'
                         f'smtp_port = {free_port()}\n')
    done = run(config, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "out" / "nachtwacht.log").read_text(encoding="utf-8")
    assert "KCC-overzicht per e-mail naar 127.0.0.1" in log
    assert "mislukt" in log


def test_a_night_of_thousands_of_changes_mails_the_first_50_of_each_list_and_how_many_more():
    from audits.kcc import digest as kcc_digest
    from reports.mail import MAIL_ITEMS, digest

    pages = [{"url": f"https://g.nl/nieuw-{n}", "title": f"Nieuw {n}"} for n in range(1234)]
    results = {"run": {"site": "Grootstad"},
               "kcc": kcc_digest({"changes": {"previous_run": 7, "new_pages": pages}})}
    mail = digest(results, "nl")
    listed = [line for line in mail.text.splitlines() if line.startswith("- ")]
    assert len(listed) == MAIL_ITEMS == 50 and listed[0] == "- Nieuw 0 – https://g.nl/nieuw-0"
    assert "… en nog 1.184: de hele lijst staat in het rapport" in mail.text
    assert mail.html.count("<li>") == 50 and "… en nog 1.184" in mail.html
    assert "(1.234)" in mail.text and "(1.234)" in mail.html and mail.changes == 1234
