"""Hand one message to the SMTP server and keep its final reply; smtplib's errors become Russian.

The steps are done one by one (MAIL, RCPT, DATA) rather than through `send_message`, so the
server's answer to DATA — what the record keeps — is known. The password is never put into a
message: any text that could carry it is scrubbed.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import getaddresses

from crawler.settings import SmtpSettings

OK = 250
RCPT_OK = (250, 251)
HIDDEN = "***"


class DeliveryError(Exception):
    """The server did not take the message; `message` is Russian, `response` the server's words."""

    def __init__(self, message: str, response: str) -> None:
        super().__init__(message)
        self.message = message
        self.response = response


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def _address(header: str) -> str:
    """The bare address of a From/To header value («Имя <a@b.ru>» → a@b.ru)."""
    pairs = getaddresses([header])
    return pairs[0][1] if pairs and pairs[0][1] else header.strip()


def deliver(settings: SmtpSettings, message: EmailMessage) -> str:
    """Send `message` to its To address; return the server's final reply («250 …»)."""
    try:
        return _scrub(_deliver(settings, message), settings)
    except DeliveryError as exc:
        raise DeliveryError(_scrub(exc.message, settings), _scrub(exc.response, settings)) from None


def _deliver(settings: SmtpSettings, message: EmailMessage) -> str:
    server = f"{settings.host}:{settings.port}"
    sender, recipient = _address(str(message["From"])), _address(str(message["To"]))
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"Не удалось подключиться к почтовому серверу {server}: {_reason(exc)}. "
                            "Проверьте NATMON_SMTP_HOST и NATMON_SMTP_PORT или повторите позже",
                            f"ошибка соединения: {_reason(exc)}") from None
    try:
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=context)
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.ehlo_or_helo_if_needed()
            code, text = smtp.mail(sender)
            if code != OK:
                raise DeliveryError(f"Почтовый сервер {server} не принял адрес отправителя {sender} "
                                    f"({_reply(code, text)}). Проверьте NATMON_SMTP_FROM", _reply(code, text))
            code, text = smtp.rcpt(recipient)
            if code not in RCPT_OK:
                raise DeliveryError(f"Почтовый сервер {server} отказался принять адрес получателя {recipient} "
                                    f"({_reply(code, text)}). Проверьте campaigns[].recipient.email в sources.yaml",
                                    _reply(code, text))
            code, text = smtp.data(message.as_bytes(policy=SMTP_POLICY))
            if code != OK:
                raise DeliveryError(f"Почтовый сервер {server} не принял письмо ({_reply(code, text)}). "
                                    "Повторите позже", _reply(code, text))
            return _reply(code, text)
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"Почтовый сервер {server} не поддерживает {_feature(settings)}. Проверьте "
                            "NATMON_SMTP_SECURITY (starttls, ssl или none) и NATMON_SMTP_USER",
                            f"не поддерживается: {exc}") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"Почтовый сервер {server} отклонил вход пользователя {settings.user} "
                            f"({_reply(exc.smtp_code, exc.smtp_error)}). Проверьте NATMON_SMTP_USER и "
                            "NATMON_SMTP_PASSWORD", _reply(exc.smtp_code, exc.smtp_error)) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"Почтовый сервер {server} ответил ошибкой {_reply(exc.smtp_code, exc.smtp_error)}. "
                            "Повторите позже", _reply(exc.smtp_code, exc.smtp_error)) from None
    except (OSError, smtplib.SMTPException) as exc:  # disconnects, timeouts, TLS failures
        raise DeliveryError(f"Связь с почтовым сервером {server} прервалась: {_reason(exc)}. Повторите позже",
                            f"ошибка соединения: {_reason(exc)}") from None


def _feature(settings: SmtpSettings) -> str:
    return "STARTTLS" if settings.security == "starttls" else "вход по логину (AUTH)"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "соединение отклонено (сервер не запущен или порт закрыт)"
    if isinstance(exc, TimeoutError):
        return "сервер не ответил вовремя"
    if isinstance(exc, ssl.SSLError):
        return f"ошибка TLS ({exc.reason or exc})"
    return str(exc) or type(exc).__name__


def _scrub(text: str, settings: SmtpSettings) -> str:
    return text.replace(settings.password, HIDDEN) if settings.password else text


__all__ = ["DeliveryError", "deliver"]
