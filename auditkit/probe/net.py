"""Plain network steps around the scanner: targets, a first handshake, and GET / for HSTS.

Every step has a timeout; nothing follows a redirect or contacts another host.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl

from auditkit import catalogue
from auditkit.errors import ValidationProblem
from auditkit.models.message import Message
from auditkit.probe.results import HstsFacts

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.?$"
)
MAX_HEADER_BYTES = 64 * 1024


class ProbeFailed(OSError):
    """An endpoint that cannot be probed: English text, and the same as a catalogue message."""

    def __init__(self, code: str, **params: str | int) -> None:
        self.code, self.params = code, params
        super().__init__(catalogue.load("en").render(Message.of(code, **params)))


def parse_target(text: str) -> tuple[str, int]:
    """HOST, HOST:PORT, IPv4:PORT or [IPv6]:PORT; default port 443."""
    raw = text.strip()
    problem = catalogue.error(ValidationProblem, "probe_bad_target", target=repr(text))
    host, port_text = raw, ""
    if raw.startswith("["):
        host, _, rest = raw[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise problem
        port_text = rest[1:]
    elif raw.count(":") == 1:
        host, port_text = raw.split(":")
    if not _valid_host(host):
        raise problem
    if not port_text:
        return host, 443
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise catalogue.error(ValidationProblem, "probe_bad_port", target=repr(text))
    return host, int(port_text)


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host)) and not host.replace(".", "").isdigit()
    return True


def resolve(host: str, port: int) -> str:
    """One address for the host (IPv4 preferred), or a one-line error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ProbeFailed("probe_unresolved", host=host, detail=str(exc.args[-1])) from None
    addresses = [info[4][0] for info in infos]
    ipv4 = [a for a in addresses if ":" not in str(a)]
    return str((ipv4 or addresses)[0])


def _lenient_context() -> ssl.SSLContext:
    """A client that measures rather than judges: any version and cipher, no verification."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.set_ciphers("ALL:@SECLEVEL=0")
    return context


def first_contact(host: str, ip: str, port: int, timeout: float) -> None:
    """Raise OSError with a one-line reason when the endpoint does not speak at all.

    A handshake that the server refuses (an alert, a closed connection) is still an answer:
    the scanner then finds which legacy versions it does speak.
    """
    try:
        with socket.create_connection((ip, port), timeout=timeout) as raw:
            raw.settimeout(timeout)
            server_name = None if _is_ip(host) else host
            with _lenient_context().wrap_socket(raw, server_hostname=server_name):
                return
    except TimeoutError:
        raise ProbeFailed("probe_silent", seconds=f"{timeout:g}") from None
    except ConnectionRefusedError:
        raise ProbeFailed("probe_refused") from None
    except (ssl.SSLError, ConnectionResetError, ssl.SSLEOFError):
        return
    except OSError as exc:
        raise ProbeFailed("probe_no_connect", detail=str(exc.strerror or exc)) from None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def fetch_hsts(host: str, port: int, timeout: float) -> HstsFacts:
    """GET / over HTTPS once; read the status and Strict-Transport-Security, follow nothing."""
    authority = host if port == 443 else f"{host}:{port}"
    if ":" in host:
        authority = f"[{host}]" if port == 443 else f"[{host}]:{port}"
    connection = http.client.HTTPSConnection(
        host, port, timeout=timeout, context=_lenient_context()
    )
    try:
        connection.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", authority)
        connection.putheader("User-Agent", "auditkit-probe")
        connection.putheader("Connection", "close")
        connection.endheaders()
        response = connection.getresponse()
        header = response.getheader("Strict-Transport-Security")
        location = response.getheader("Location") if 300 <= response.status < 400 else None
    except TimeoutError:
        return _hsts_error("silent", seconds=f"{timeout:g}")
    except (OSError, http.client.HTTPException) as exc:
        return _hsts_error("failed", detail=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
    return parse_hsts(response.status, header, location)


def _hsts_error(form: str, **params: str | int) -> HstsFacts:
    """HSTS facts when GET / failed: the English text and the catalogue message's form."""
    said = Message.of(f"probe_hsts_{form}", **params)
    english = catalogue.load("en").render(said)
    return HstsFacts(error=english, error_form=form, error_params=params)


def parse_hsts(status: int, header: str | None, location: str | None) -> HstsFacts:
    max_age, include, preload = None, False, False
    for directive in (header or "").split(";"):
        name, _, value = directive.strip().partition("=")
        name = name.strip().lower()
        if name == "max-age":
            digits = value.strip().strip('"')
            max_age = int(digits) if digits.isdigit() and len(digits) < 19 else None
        include = include or name == "includesubdomains"
        preload = preload or name == "preload"
    return HstsFacts(
        status=status,
        header=header[:500] if header is not None else None,
        max_age=max_age,
        include_subdomains=include,
        preload=preload,
        redirect_location=location[:500] if location else None,
    )
