"""Channel addresses in every form users paste, normalised to one form per kind.

website  -> "https://host/path" (scheme added when missing, host lower-cased, no trailing slash)
vk       -> "club123" for club/public/event/numeric forms, else the lower-cased screen name
telegram -> the lower-cased channel name, or "-100…" for a private channel read through the natmon bot
ok       -> "https://ok.ru/group/<id>" or "https://ok.ru/<name>" (lower-cased)
max      -> the lower-cased public name of a channel (max.ru/<name>), or its numeric chat id
Each function raises AddressError with a Russian reason the registry shows next to the line.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

VK_HOSTS = ("vk.com", "vk.ru", "m.vk.com", "m.vk.ru", "www.vk.com", "www.vk.ru", "new.vk.com")
TELEGRAM_HOSTS = ("t.me", "telegram.me", "www.t.me", "telegram.dog")
OK_HOSTS = ("ok.ru", "www.ok.ru", "m.ok.ru", "odnoklassniki.ru", "www.odnoklassniki.ru")
MAX_HOSTS = ("max.ru", "www.max.ru", "web.max.ru")

_VK_NUMERIC = re.compile(r"^(?:club|public|event)(\d+)$|^-?(\d+)$")
_VK_USER = re.compile(r"^id\d+$")
_VK_SCREEN_NAME = re.compile(r"^[a-z0-9_.]{2,64}$")
_TELEGRAM_NAME = re.compile(r"^[a-z][a-z0-9_]{3,31}$")
_TELEGRAM_PRIVATE_ID = re.compile(r"^-100\d{5,}$")  # a private channel the natmon bot administers
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}$|^localhost$|^\d{1,3}(?:\.\d{1,3}){3}$")


class AddressError(ValueError):
    """An address that cannot be a channel of the given kind; the message is Russian."""


def _split(value: str) -> tuple[str, str, str]:
    """(host, path, query) of a URL given with or without a scheme."""
    value = value.strip()
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    return (parts.hostname or "").lower(), parts.path, parts.query


def normalize_website(value: str) -> str:
    raw = value.strip()
    if not raw:
        raise AddressError("пустой адрес сайта")
    if "://" in raw and not raw.lower().startswith(("http://", "https://")):
        raise AddressError(f"адрес сайта должен начинаться с http:// или https://: «{raw}»")
    host, path, query = _split(raw)
    if host in VK_HOSTS:
        raise AddressError(f"«{raw}» — адрес VK: укажите его как «vk: …»")
    if host in TELEGRAM_HOSTS:
        raise AddressError(f"«{raw}» — адрес Telegram: укажите его как «telegram: …»")
    if host in OK_HOSTS:
        raise AddressError(f"«{raw}» — адрес Одноклассников: укажите его как «ok: …»")
    if host in MAX_HOSTS:
        raise AddressError(f"«{raw}» — адрес MAX: укажите его как «max: …»")
    if not _HOST.match(host.encode("idna").decode("ascii") if host else ""):
        raise AddressError(f"не похоже на адрес сайта: «{raw}»")
    scheme = "http" if raw.lower().startswith("http://") else "https"
    parts = urlsplit(raw if "://" in raw else "https://" + raw)
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = path.rstrip("/")
    return f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "")


def normalize_vk(value: str) -> str:
    raw = value.strip()
    if not raw:
        raise AddressError("пустой адрес VK")
    name = raw
    if "/" in raw or raw.lower().startswith(VK_HOSTS):
        host, path, _ = _split(raw)
        if host not in VK_HOSTS:
            raise AddressError(f"«{raw}» — не адрес VK (ожидается vk.com/… или vk.ru/…)")
        name = path.strip("/").split("/")[0]
    name = name.lstrip("@").lower()
    if not name:
        raise AddressError(f"в адресе VK нет имени сообщества: «{raw}»")
    if _VK_USER.match(name):
        raise AddressError(f"«{raw}» — страница пользователя, а не сообщества")
    numeric = _VK_NUMERIC.match(name)
    if numeric:
        return f"club{numeric.group(1) or numeric.group(2)}"
    if not _VK_SCREEN_NAME.match(name):
        raise AddressError(f"не похоже на адрес сообщества VK: «{raw}»")
    return name


def is_bot_only_telegram(address: str) -> bool:
    """A private channel has no web preview: only the natmon bot, as its administrator, sees its posts."""
    return bool(_TELEGRAM_PRIVATE_ID.match(address))


def normalize_telegram(value: str) -> str:
    raw = value.strip()
    if not raw:
        raise AddressError("пустой адрес Telegram")
    if _TELEGRAM_PRIVATE_ID.match(raw):
        return raw
    name = raw
    if raw.startswith("@"):
        name = raw[1:]
    elif "/" in raw or raw.lower().startswith(TELEGRAM_HOSTS):
        host, path, _ = _split(raw)
        if host not in TELEGRAM_HOSTS:
            raise AddressError(f"«{raw}» — не адрес Telegram (ожидается t.me/…)")
        segments = [segment for segment in path.split("/") if segment]
        if segments and segments[0] == "s":
            segments = segments[1:]
        if not segments:
            raise AddressError(f"в адресе Telegram нет имени канала: «{raw}»")
        if segments[0].startswith("+") or segments[0] == "joinchat":
            raise AddressError(f"«{raw}» — ссылка-приглашение в закрытый канал; нужен публичный адрес @имя")
        name = segments[0]
    name = name.lower()
    if not _TELEGRAM_NAME.match(name):
        raise AddressError(f"не похоже на имя канала Telegram: «{raw}»")
    return name


_OK_GROUP = re.compile(r"^group/?(\d+)$")
_OK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
_OK_SERVICE = frozenset({"dk", "feed", "profile", "game", "games", "app", "apps", "video", "music", "messages",
                         "settings", "help", "search", "groups", "friends", "photos", "oauth", "share"})
_MAX_NAME = re.compile(r"^[a-z][a-z0-9_-]{1,63}$")
_MAX_CHAT_ID = re.compile(r"^-?\d{5,}$")


def normalize_ok(value: str) -> str:
    raw = value.strip()
    if not raw:
        raise AddressError("пустой адрес Одноклассников")
    if "/" not in raw and "." not in raw:
        raise AddressError(f"укажите полный адрес группы Одноклассников: https://ok.ru/{raw.lower()} или "
                           "https://ok.ru/group/<номер>")
    host, path, _ = _split(raw)
    if host not in OK_HOSTS:
        raise AddressError(f"«{raw}» — не адрес Одноклассников (ожидается ok.ru/…)")
    segments = [segment for segment in path.lower().split("/") if segment]
    if not segments:
        raise AddressError(f"в адресе Одноклассников нет группы: «{raw}»")
    group = _OK_GROUP.match("/".join(segments[:2])) or _OK_GROUP.match(segments[0])
    if group:
        return f"https://ok.ru/group/{group.group(1)}"
    if segments[0] == "profile":
        raise AddressError(f"«{raw}» — личный профиль, а не группа; укажите группу организации")
    if segments[0] in _OK_SERVICE or not _OK_NAME.match(segments[0]):
        raise AddressError(f"не похоже на адрес группы Одноклассников: «{raw}»")
    return f"https://ok.ru/{segments[0]}"


def normalize_max(value: str) -> str:
    raw = value.strip()
    if not raw:
        raise AddressError("пустой адрес MAX")
    if _MAX_CHAT_ID.match(raw):
        return raw
    name = raw.lstrip("@")
    if "/" in raw or raw.lower().startswith(MAX_HOSTS):
        host, path, _ = _split(raw)
        if host not in MAX_HOSTS:
            raise AddressError(f"«{raw}» — не адрес MAX (ожидается https://max.ru/<имя канала>)")
        segments = [segment for segment in path.split("/") if segment]
        if not segments:
            raise AddressError(f"в адресе MAX нет имени канала: «{raw}»")
        if segments[0].lower() == "join":
            raise AddressError(f"«{raw}» — ссылка-приглашение; укажите публичный адрес канала https://max.ru/<имя> "
                               "или номер чата (chat_id)")
        if _MAX_CHAT_ID.match(segments[0]):
            return segments[0]
        name = segments[0].lstrip("@")
    name = name.lower()
    if not _MAX_NAME.match(name):
        raise AddressError(f"не похоже на адрес канала MAX: «{raw}»")
    return name


NORMALIZERS = {"website": normalize_website, "vk": normalize_vk, "telegram": normalize_telegram,
               "ok": normalize_ok, "max": normalize_max}


def guess_kind(value: str) -> str:
    """The channel kind of a bare address (used by imports and discovery)."""
    raw = value.strip()
    if raw.startswith("@"):
        return "telegram"
    host, _, _ = _split(raw)
    if host in VK_HOSTS:
        return "vk"
    if host in TELEGRAM_HOSTS:
        return "telegram"
    if host in OK_HOSTS:
        return "ok"
    if host in MAX_HOSTS:
        return "max"
    return "website"
