"""SMTP settings come only from the environment; errors name the variables; the password stays hidden."""

from __future__ import annotations

import pytest

from crawler.settings import SmtpSettings, SmtpSettingsError

BASE = {"NATMON_SMTP_HOST": "smtp.example.ru", "NATMON_SMTP_FROM": "uo@example.ru"}


def test_defaults_follow_the_security_mode() -> None:
    assert SmtpSettings.from_env(BASE) == SmtpSettings("smtp.example.ru", 587, "starttls", "uo@example.ru")
    assert SmtpSettings.from_env({**BASE, "NATMON_SMTP_SECURITY": "SSL"}).port == 465
    assert SmtpSettings.from_env({**BASE, "NATMON_SMTP_SECURITY": "none", "NATMON_SMTP_PORT": "2525"}).port == 2525


@pytest.mark.parametrize(("env", "names"), [
    ({}, ["NATMON_SMTP_HOST", "NATMON_SMTP_FROM"]),
    ({**BASE, "NATMON_SMTP_USER": "uo"}, ["NATMON_SMTP_PASSWORD"]),
    ({**BASE, "NATMON_SMTP_PASSWORD": "x"}, ["NATMON_SMTP_USER"]),
    ({**BASE, "NATMON_SMTP_SECURITY": "tls"}, ["NATMON_SMTP_SECURITY"]),
    ({**BASE, "NATMON_SMTP_PORT": "smtp"}, ["NATMON_SMTP_PORT"]),
])
def test_a_missing_or_wrong_variable_is_named(env: dict[str, str], names: list[str]) -> None:
    with pytest.raises(SmtpSettingsError) as caught:
        SmtpSettings.from_env(env)
    assert caught.value.names == names
    assert all(name in caught.value.message for name in names)


def test_the_password_is_not_in_the_repr() -> None:
    settings = SmtpSettings.from_env({**BASE, "NATMON_SMTP_USER": "uo", "NATMON_SMTP_PASSWORD": "Tajna-123"})
    assert settings.password == "Tajna-123" and "Tajna-123" not in repr(settings)
