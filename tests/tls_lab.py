"""A lab of real TLS servers on 127.0.0.1 for the probe tests and benchmark.

Certificates are made per run with `cryptography` (a root, an intermediate and leaves signed by
it); servers are `openssl s_server` processes and a small Python `ssl` HTTPS server that sends
HSTS. Nothing here mocks a handshake: the probe talks to real sockets.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

NOW = dt.datetime.now(dt.UTC)
LEGACY = "DEFAULT@SECLEVEL=0"
MODERN = ("-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20")
WEAK_CERT = ("-cipher", "ECDHE+AESGCM:ECDHE+CHACHA20@SECLEVEL=0")  # lets a weak key load
OLD_FS = "ECDHE+AES@SECLEVEL=0"  # TLS 1.0/1.1 with forward-secret suites only
Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key(kind: str) -> Key:
    if kind == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=int(kind.removeprefix("rsa")))


@dataclass
class Issuer:
    cert: x509.Certificate
    key: Key


def _cert(
    subject: str,
    key: Key,
    issuer: Issuer | None,
    *,
    ca: bool = False,
    sans: tuple[str, ...] = (),
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.cert.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - dt.timedelta(days=1))
        .not_valid_after(not_after or NOW + dt.timedelta(days=200))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    if sans:
        names: list[x509.GeneralName] = []
        for san in sans:
            if san.replace(".", "").isdigit():
                import ipaddress

                names.append(x509.IPAddress(ipaddress.ip_address(san)))
            else:
                names.append(x509.DNSName(san))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    signer = issuer.key if issuer else key
    return builder.sign(signer, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: Key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@dataclass
class Leaf:
    cert: Path
    key: Path
    chain: Path | None  # the intermediate, when the server should send it


@dataclass
class Authority:
    """A private root and intermediate; leaves are signed by the intermediate."""

    directory: Path
    root: Issuer = field(init=False)
    intermediate: Issuer = field(init=False)
    ca_file: Path = field(init=False)

    def __post_init__(self) -> None:
        root_key = _key("rsa2048")
        self.root = Issuer(_cert("auditkit test root", root_key, None, ca=True), root_key)
        inter_key = _key("rsa2048")
        self.intermediate = Issuer(
            _cert("auditkit test intermediate", inter_key, self.root, ca=True), inter_key
        )
        self.ca_file = self.directory / "root.pem"
        self.ca_file.write_bytes(_pem(self.root.cert))

    def leaf(
        self,
        name: str,
        *,
        sans: tuple[str, ...] = ("localhost", "127.0.0.1"),
        key: str = "rsa2048",
        days: int = 200,
        expired: bool = False,
        self_signed: bool = False,
        sha1: bool = False,
        send_intermediate: bool = True,
    ) -> Leaf:
        private = _key(key)
        not_before, not_after = NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=days)
        if expired:
            not_before, not_after = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=3)
        issuer = None if self_signed else self.intermediate
        cert_path, key_path = self.directory / f"{name}.pem", self.directory / f"{name}.key"
        key_path.write_bytes(_key_pem(private))
        if sha1:
            self._sign_sha1(name, private, sans, cert_path, days)
        else:
            cert = _cert(
                name, private, issuer, sans=sans, not_before=not_before, not_after=not_after
            )
            cert_path.write_bytes(_pem(cert))
        chain = None
        if send_intermediate and not self_signed:
            chain = self.directory / f"{name}.chain.pem"
            chain.write_bytes(_pem(self.intermediate.cert))
        return Leaf(cert_path, key_path, chain)

    def _sign_sha1(self, name: str, key: Key, sans: tuple[str, ...], out: Path, days: int) -> None:
        """cryptography refuses to sign with SHA-1, so the openssl command line does it."""
        csr = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(_name(name))
            .sign(key, hashes.SHA256())
        )
        csr_path, ext_path = self.directory / f"{name}.csr", self.directory / f"{name}.ext"
        csr_path.write_bytes(csr.public_bytes(serialization.Encoding.PEM))
        alt = ",".join(f"IP:{s}" if s.replace(".", "").isdigit() else f"DNS:{s}" for s in sans)
        ext_path.write_text(f"basicConstraints=critical,CA:FALSE\nsubjectAltName={alt}\n")
        ca_cert, ca_key = self.directory / "inter.pem", self.directory / "inter.key"
        ca_cert.write_bytes(_pem(self.intermediate.cert))
        ca_key.write_bytes(_key_pem(self.intermediate.key))
        subprocess.run(
            [
                *("openssl", "x509", "-req", "-in", str(csr_path), "-CA", str(ca_cert)),
                *("-CAkey", str(ca_key), "-CAcreateserial", "-sha1", "-days", str(days)),
                *("-extfile", str(ext_path), "-out", str(out)),
            ],
            check=True,
            capture_output=True,
        )


@contextmanager
def openssl_server(leaf: Leaf, *options: str) -> Iterator[int]:
    """`openssl s_server -www` on 127.0.0.1; yields the port it listens on."""
    command = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-www"]
    command += ["-cert", str(leaf.cert), "-key", str(leaf.key)]
    if leaf.chain:
        command += ["-cert_chain", str(leaf.chain)]
    log = leaf.cert.with_name(f"{leaf.cert.stem}.{abs(hash(options))}.log")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *options], stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    try:
        port = _wait_for_accept(log, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_accept(log: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("ACCEPT"):
                return int(line.rsplit(":", 1)[1])
        if process.poll() is not None:
            break
        time.sleep(0.02)
    raise RuntimeError(f"openssl s_server did not start: {log.read_text(errors='replace')}")


class _HstsHandler(http.server.BaseHTTPRequestHandler):
    hsts: str | None = None
    redirect: str | None = None

    def do_GET(self) -> None:
        self.send_response(301 if self.redirect else 200)
        if self.redirect:
            self.send_header("Location", self.redirect)
        if self.hsts:
            self.send_header("Strict-Transport-Security", self.hsts)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def python_https_server(leaf: Leaf, hsts: str | None, redirect: str | None = None) -> Iterator[int]:
    """A threaded Python HTTPS server sending the given Strict-Transport-Security value
    (and, with `redirect`, a 301 to that location)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if leaf.chain:
        combined = leaf.cert.with_suffix(".full.pem")
        combined.write_bytes(leaf.cert.read_bytes() + leaf.chain.read_bytes())
        context.load_cert_chain(combined, leaf.key)
    else:
        context.load_cert_chain(leaf.cert, leaf.key)
    handler = type("Handler", (_HstsHandler,), {"hsts": hsts, "redirect": redirect})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    server.socket = context.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def plain_http_server() -> Iterator[int]:
    """HTTP without TLS: the port answers, but not with a handshake."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HstsHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_listener() -> Iterator[socket.socket]:
    """A port whose kernel completes the TCP handshake but no one ever reads or answers
    (also a trap: `was_contacted` tells whether anyone connected)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield listener
    finally:
        listener.close()


def was_contacted(listener: socket.socket) -> bool:
    listener.setblocking(False)
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def closed_port() -> int:
    """A port where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Lab:
    ca_file: Path
    endpoints: dict[str, str]  # case name -> HOST:PORT
    trap: socket.socket  # where the "redirect" case points; nobody may connect to it


@contextmanager
def lab(directory: Path) -> Iterator[Lab]:
    """Every case the probe must tell apart, each on its own port."""
    ca = Authority(directory)
    good = ca.leaf("good")
    openssl_cases: dict[str, tuple[Leaf, tuple[str, ...]]] = {
        "good": (good, MODERN),
        "expired": (ca.leaf("expired", expired=True), MODERN),
        "expiring": (ca.leaf("expiring", days=10), MODERN),
        "self_signed": (ca.leaf("selfsigned", self_signed=True), MODERN),
        "wrong_host": (ca.leaf("wronghost", sans=("www.example.com",)), MODERN),
        "rsa1024": (ca.leaf("rsa1024", key="rsa1024"), WEAK_CERT),
        "sha1": (ca.leaf("sha1", sha1=True), WEAK_CERT),
        "tls13_only": (good, ("-tls1_3",)),
        "tls10_11": (good, ("-cipher", OLD_FS, "-no_tls1_2", "-no_tls1_3")),
        "tls10_only": (good, ("-cipher", LEGACY, "-tls1")),
        "no_intermediate": (ca.leaf("nochain", send_intermediate=False), MODERN),
        "ecdsa": (ca.leaf("ecdsa", key="ec256"), MODERN),
        "weak_ciphers": (good, ("-cipher", "AES128-SHA:DES-CBC3-SHA@SECLEVEL=0", "-no_tls1_3")),
    }
    with ExitStack() as stack:
        endpoints: dict[str, str] = {}
        for name, (leaf, options) in openssl_cases.items():
            port = stack.enter_context(openssl_server(leaf, *options))
            endpoints[name] = f"localhost:{port}"
        endpoints["ip_san"] = endpoints["good"].replace("localhost", "127.0.0.1")
        hsts = ca.leaf("hsts")
        port = stack.enter_context(python_https_server(hsts, "max-age=31536000; includeSubDomains"))
        endpoints["hsts"] = f"localhost:{port}"
        port = stack.enter_context(python_https_server(hsts, "max-age=600"))
        endpoints["hsts_short"] = f"localhost:{port}"
        endpoints["closed"] = f"127.0.0.1:{closed_port()}"
        silent = stack.enter_context(silent_listener())
        endpoints["silent"] = f"127.0.0.1:{silent.getsockname()[1]}"
        trap = stack.enter_context(silent_listener())
        elsewhere = f"https://127.0.0.1:{trap.getsockname()[1]}/"
        port = stack.enter_context(python_https_server(hsts, None, redirect=elsewhere))
        endpoints["redirect"] = f"localhost:{port}"
        endpoints["plain_http"] = f"127.0.0.1:{stack.enter_context(plain_http_server())}"
        yield Lab(ca.ca_file, endpoints, trap)
