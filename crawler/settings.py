"""All of natmon's defaults, in one module.

They are overridden in a fixed order: the defaults here, then the `settings:` section of
sources.yaml, then CLI flags, then the environment. Secrets (VK tokens, the bot token)
come only from the environment; they are never read from sources.yaml and never logged.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from channels.base import ChannelSettings

DEFAULT_DB = "natmon.db"
DEFAULT_SOURCES = "sources.yaml"
PROJECT_URL = "https://github.com/natmon"
# Hosts with a delay of their own unless sources.yaml says otherwise. t.me is one host for
# every Telegram channel of a region and is built for public previews: 2.5 requests a second
# lets 1,200 channels be read in 8 minutes; a 429 from it still slows it to 1 s (crawler/http.py).
BUILTIN_HOST_DELAYS = {"t.me": 0.4}


@dataclass(slots=True, frozen=True)
class HttpPolicy:
    """How politely natmon fetches: timeouts, retries, per-host limits, size cap, identity."""

    timeout: float = 30.0
    connect_timeout: float = 10.0
    attempts: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 300.0  # a longer Retry-After makes the channel fail until the next run
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    host_delays: tuple[str, ...] = ()  # "host=seconds": per_host_delay set apart (sources.yaml: a mapping)
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10
    obey_robots: bool = True
    robots_agent: str = "natmon"
    contact: str = ""
    # A school's server is not trusted (README "Security"): loopback, private, link-local and other
    # non-public addresses are refused after resolution unless this is on (the demo, tests, simulated region).
    allow_private_addresses: bool = False
    request_deadline: float = 60.0  # seconds for a whole request (connect, redirects, body): a trickle is cut
    ca_bundle: str = ""  # NATMON_CA_BUNDLE: a PEM file of extra trusted roots (the Russian root for MAX)

    def user_agent(self) -> str:
        contact = f"; {self.contact}" if self.contact else ""
        return f"natmon/0.1 (+{PROJECT_URL}{contact})"

    def delays(self) -> dict[str, float]:
        """`host_delays` as host name -> seconds between request starts; unreadable entries are ignored
        (the registry check reports them)."""
        result = dict(BUILTIN_HOST_DELAYS)
        for entry in self.host_delays:
            host, _, seconds = entry.partition("=")
            try:
                result[host.strip().lower()] = float(seconds)
            except ValueError:
                continue
        return result

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given (1-based) failed attempt."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)


@dataclass(slots=True, frozen=True)
class Settings:
    """Everything a run needs to know besides the registry itself."""

    db: str = DEFAULT_DB
    sources: str = DEFAULT_SOURCES
    concurrency: int = 64  # websites crawled at once (each its own host: per-host limits still apply)
    vk_concurrency: int = 200  # VK walls in flight; the token pool batches them 25 to an `execute`
    telegram_concurrency: int = 4  # t.me is one host: more channels at once would only queue for it
    profile: str = ""  # NATMON_PROFILE: a JSON file to write the crawl's phase times to
    lock_stale_after: float = 6 * 3600.0  # seconds without a heartbeat before a crawl lock may be taken over
    http: HttpPolicy = field(default_factory=HttpPolicy)
    channels: ChannelSettings = field(default_factory=ChannelSettings)
    ok_concurrency: int = 4  # OK groups in flight: one API host, calls spaced by the per-host delay
    max_concurrency: int = 4  # MAX channels in flight: one API host (platform-api2.max.ru)
    # t.me, api.ok.ru and the MAX API are one host each, so their channels queue for it: one of these
    # kinds is visited by its posting rate, at most this many nights apart, and every channel on the night
    # before each deadline (crawler/revisit.py). 1 visits every channel every night.
    revisit_max_days: int = 3
    revisit_kinds: tuple[str, ...] = ("telegram", "ok", "max")


# sources.yaml `settings:` keys -> (section, field). Only non-secret settings are accepted there.
YAML_KEYS: dict[str, tuple[str, str]] = {
    "concurrency": ("", "concurrency"),
    "vk_concurrency": ("", "vk_concurrency"),
    "telegram_concurrency": ("", "telegram_concurrency"),
    "contact": ("http", "contact"),
    "timeout": ("http", "timeout"),
    "attempts": ("http", "attempts"),
    "per_host_concurrency": ("http", "per_host_concurrency"),
    "per_host_delay": ("http", "per_host_delay"),
    "host_delays": ("http", "host_delays"),
    "max_bytes": ("http", "max_bytes"),
    "obey_robots": ("http", "obey_robots"),
    "page_delay": ("channels", "page_delay"),
    "max_pages": ("channels", "max_pages"),
    "vk_requests_per_second": ("channels", "vk_requests_per_second"),
    "vk_daily_wall_get_quota": ("channels", "vk_daily_wall_get_quota"),
    "allow_private_addresses": ("http", "allow_private_addresses"),
    "request_deadline": ("http", "request_deadline"),
    "api_max_bytes": ("channels", "api_max_bytes"),
}

# Environment variables -> (section, field). Read last, so they win.
ENV_KEYS: dict[str, tuple[str, str]] = {
    "NATMON_DB": ("", "db"),
    "NATMON_SOURCES": ("", "sources"),
    "NATMON_PROFILE": ("", "profile"),
    "NATMON_CONTACT": ("http", "contact"),
    "NATMON_VK_API_URL": ("channels", "vk_api_url"),
    "NATMON_TELEGRAM_URL": ("channels", "telegram_url"),
    "NATMON_VK_TOKENS": ("channels", "vk_tokens"),
    "NATMON_TELEGRAM_BOT_TOKEN": ("channels", "telegram_bot_token"),
    "NATMON_TELEGRAM_BOT_API_URL": ("channels", "telegram_bot_api_url"),
}

SECRET_ENV = ("NATMON_VK_TOKENS", "NATMON_TELEGRAM_BOT_TOKEN")


def _coerce(current: Any, value: Any) -> Any:
    """Convert a YAML or environment value to the type of the default it replaces."""
    if isinstance(current, tuple):
        if isinstance(value, Mapping):
            return tuple(f"{key}={item}" for key, item in value.items())
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace("\n", ",").split(",") if part.strip())
        return tuple(value)
    if isinstance(current, bool):
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "да")
        return bool(value)
    if isinstance(current, (int, float)) and not isinstance(value, (int, float)):
        return type(current)(value)
    if isinstance(current, int) and isinstance(value, float):
        return int(value)
    return value


def with_values(settings: Settings, values: Mapping[tuple[str, str], Any]) -> Settings:
    """A copy of `settings` with (section, field) values replaced, types kept."""
    result = settings
    for (section, name), value in values.items():
        if value is None:
            continue
        if section:
            part = getattr(result, section)
            part = replace(part, **{name: _coerce(getattr(part, name), value)})
            result = replace(result, **{section: part})
        else:
            result = replace(result, **{name: _coerce(getattr(result, name), value)})
    return result


def from_yaml(settings: Settings, section: Mapping[str, Any]) -> Settings:
    """Apply the `settings:` section of sources.yaml (keys already validated by the registry)."""
    return with_values(settings, {YAML_KEYS[key]: value for key, value in section.items() if key in YAML_KEYS})


def from_env(settings: Settings, environ: Mapping[str, str] | None = None) -> Settings:
    """Apply NATMON_* environment variables."""
    environ = os.environ if environ is None else environ
    return with_values(settings, {target: environ[name] for name, target in ENV_KEYS.items() if environ.get(name)})


def known_yaml_keys() -> list[str]:
    return sorted(YAML_KEYS)


def db_url(db: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as is, anything else a SQLite file path."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


__all__ = ["HttpPolicy", "Settings", "from_env", "from_yaml", "with_values", "db_url"]


# -- outgoing mail (natmon report send): only from the environment ------------------------------

SMTP_SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}  # security -> default port
DEFAULT_SMTP_SECURITY = "starttls"
SMTP_TIMEOUT = 30.0  # seconds for connecting and for each reply


class SmtpSettingsError(Exception):
    """NATMON_SMTP_* variables are missing or wrong; `names` lists them, the message is Russian."""

    def __init__(self, names: list[str], message: str) -> None:
        super().__init__(message)
        self.names = names
        self.message = message


@dataclass(slots=True, frozen=True)
class SmtpSettings:
    """The mail server natmon sends reports through. The password is never shown (repr=False)."""

    host: str
    port: int
    security: str  # starttls | ssl | none
    sender: str  # the From address, e.g. "Управление образования <uo@example.ru>"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = SMTP_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read NATMON_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD, _FROM; errors name the variables."""
        env = os.environ if environ is None else environ
        value = {name: (env.get(f"NATMON_SMTP_{name}") or "").strip() for name in
                 ("HOST", "PORT", "SECURITY", "USER", "FROM")}
        password = env.get("NATMON_SMTP_PASSWORD") or ""
        missing = [f"NATMON_SMTP_{name}" for name in ("HOST", "FROM") if not value[name]]
        if value["USER"] and not password:
            missing.append("NATMON_SMTP_PASSWORD")
        if password and not value["USER"]:
            missing.append("NATMON_SMTP_USER")
        if missing:
            raise SmtpSettingsError(missing, "Не заданы переменные окружения для отправки почты: "
                                    f"{', '.join(missing)}. Задайте их (например, в /etc/natmon/secrets.env)")
        security = (value["SECURITY"] or DEFAULT_SMTP_SECURITY).lower()
        if security not in SMTP_SECURITY_PORTS:
            raise SmtpSettingsError(["NATMON_SMTP_SECURITY"], f"NATMON_SMTP_SECURITY=«{value['SECURITY']}»: "
                                    f"допустимы {', '.join(SMTP_SECURITY_PORTS)}")
        port = value["PORT"] or str(SMTP_SECURITY_PORTS[security])
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise SmtpSettingsError(["NATMON_SMTP_PORT"], f"NATMON_SMTP_PORT=«{port}»: нужен номер порта, "
                                    "например 587")
        return cls(value["HOST"], int(port), security, value["FROM"], value["USER"], password)


# -- Одноклассники and MAX (issue 16) ------------------------------------------------------------

YAML_KEYS.update({
    "ok_concurrency": ("", "ok_concurrency"),
    "max_concurrency": ("", "max_concurrency"),
    "ok_rate_limit_wait": ("channels", "ok_rate_limit_wait"),
})
ENV_KEYS.update({
    "NATMON_OK_API_URL": ("channels", "ok_api_url"),
    "NATMON_OK_APPLICATION_KEY": ("channels", "ok_application_key"),
    "NATMON_OK_SECRET_KEY": ("channels", "ok_secret_key"),
    "NATMON_OK_ACCESS_TOKEN": ("channels", "ok_access_token"),
    "NATMON_MAX_API_URL": ("channels", "max_api_url"),
    "NATMON_MAX_BOT_TOKEN": ("channels", "max_bot_token"),
    "NATMON_CA_BUNDLE": ("http", "ca_bundle"),
})
SECRET_ENV = (*SECRET_ENV, "NATMON_OK_SECRET_KEY", "NATMON_OK_ACCESS_TOKEN", "NATMON_MAX_BOT_TOKEN")
# The two APIs are one host each for every channel of a region. MAX asks for at most 30 requests a
# second (dev.max.ru): 0.1 s keeps a third of that. OK publishes no limit and answers "too many
# calls" (codes 8, 11) when it wants fewer, which the OK adapter waits out: 5 a second to start with.
BUILTIN_HOST_DELAYS.update({"api.ok.ru": 0.2, "platform-api2.max.ru": 0.1})


# -- revisits of single-host channels by their posting rate (issue 18, crawler/revisit.py) ------

YAML_KEYS.update({"revisit_max_days": ("", "revisit_max_days"), "revisit_kinds": ("", "revisit_kinds")})
