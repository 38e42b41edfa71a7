"""For the sending tests: a real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives,
can refuse recipients with 550 and checks a login; the test region with the centre's address."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any, cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from crawler.registry import Registry, load
from crawler.settings import SmtpSettings
from crawler.store import Store
from reports.review_store import Decision
from reports.review_store import save as save_reviews

from .conftest import REGISTRY_YAML

HOST = "127.0.0.1"
LOGIN, PASSWORD = "uo-angarsk", "s3cret-Pa55w0rd"
SENDER = "Управление образования <uo@angarsk.example.ru>"
QUEUED = "250 2.0.0 Ok: queued as 7F3A2"
RECIPIENT = "centre@example.ru"
RECIPIENT_NAME = "Региональный центр мониторинга"


def recipient_registry(tmp_path: Path) -> Registry:
    """The shared test region, with the regional centre's address."""
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY_YAML.replace(f"      name: {RECIPIENT_NAME}\n",
                                          f"      name: {RECIPIENT_NAME}\n      email: {RECIPIENT}\n"),
                    encoding="utf-8")
    return load(path)


def review(store: Store, posts: dict[str, int], confirmed: tuple[str, ...], rejected: tuple[str, ...] = ()) -> None:
    decisions = [Decision(posts[key], "confirmed", "") for key in confirmed]
    decisions += [Decision(posts[key], "rejected", "не о нацпроекте") for key in rejected]
    save_reviews(store.engine, decisions, [], "Иванова А. П.", datetime.now(timezone.utc))


def review_angarsk(store: Store, posts: dict[str, int]) -> dict[str, int]:
    """Ангарск, period 24.01: two posts confirmed, one rejected — nothing left to review."""
    review(store, posts, ("p2_vk", "p2_tg"), ("edge_in",))
    return posts


def free_port() -> int:
    """A port nobody listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """The handler: what arrived, and which recipients to refuse."""

    received: list[Envelope] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return QUEUED

    def messages(self) -> list[EmailMessage]:
        return [cast(EmailMessage, message_from_bytes(cast(bytes, e.content), policy=default))
                for e in self.received]


def check_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(auth: bool = False) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    extra: dict[str, Any] = {"authenticator": check_login, "auth_require_tls": False} if auth else {}
    controller = Controller(inbox, hostname=HOST, port=port, **extra)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def settings(port: int, *, security: str = "none", user: str = "", password: str = "") -> SmtpSettings:
    return SmtpSettings(HOST, port, security, SENDER, user, password, timeout=5.0)
