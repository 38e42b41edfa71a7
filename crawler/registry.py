"""The registry: sources.yaml read, validated and turned into typed records.

Validation reports every problem at once, each with the file, the line (kept from the
YAML loader) and the field, in Russian, so a coordinator can fix the whole file in one go.

`load(path, packed=True)` validates the whole file the same way but keeps each municipality's
institutions pickled and compressed (`MunicipalityEntry.all_institutions()` unpacks them): a report
that works one municipality at a time then holds one municipality's records, not the region's.
"""

from __future__ import annotations

import codecs
import pickle
import sys
import zlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from crawler.addresses import NORMALIZERS, AddressError
from crawler.settings import YAML_KEYS, Settings, from_yaml
from crawler.yaml_lines import Fold, LinedMap, explain, load_lined

INSTITUTION_KINDS = {
    "school": "школа",
    "kindergarten": "детский сад",
    "college": "колледж",
    "additional": "дополнительное образование",
    "department": "орган управления образованием",
}
CHANNEL_OPTIONS = {"enabled", "news_url", "selectors", "note", "timezone"}
SECRET_WORDS = ("token", "password", "secret", "пароль", "токен")


@dataclass(slots=True, frozen=True)
class ChannelEntry:
    kind: str
    address: str
    enabled: bool
    options: dict[str, Any]
    line: int


@dataclass(slots=True, frozen=True)
class InstitutionEntry:
    name: str
    kind: str
    channels: tuple[ChannelEntry, ...]
    note: str
    line: int


@dataclass(slots=True, frozen=True)
class MunicipalityEntry:
    name: str
    official_name: str
    authority: str
    institutions: tuple[InstitutionEntry, ...]  # () in a packed registry: see all_institutions()
    line: int
    packed: bytes = field(default=b"", repr=False, compare=False)  # institutions, pickled and compressed

    def all_institutions(self) -> tuple[InstitutionEntry, ...]:
        """Its institutions, unpacked on each call when the registry was loaded with packed=True."""
        return pickle.loads(zlib.decompress(self.packed)) if self.packed else self.institutions


@dataclass(slots=True, frozen=True)
class Campaign:
    id: str
    name: str
    start: date
    end: date
    deadlines: tuple[date, ...]
    recipient_name: str
    recipient_email: str
    phrases: tuple[str, ...]
    hashtags: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class Registry:
    path: Path
    region: str
    timezone: ZoneInfo
    settings: dict[str, Any]
    campaigns: tuple[Campaign, ...]
    municipalities: tuple[MunicipalityEntry, ...]

    def municipality(self, name: str) -> MunicipalityEntry:
        for municipality in self.municipalities:
            if municipality.name.casefold() == name.strip().casefold():
                return municipality
        known = ", ".join(m.name for m in self.municipalities[:10])
        raise SourcesError(self.path, [Problem(0, "municipalities",
                                               f"нет муниципалитета «{name}»; есть, например: {known}")])

    def campaign(self, campaign_id: str | None, today: date) -> Campaign:
        """The named campaign, or the one running today, or the latest that started."""
        if campaign_id:
            for campaign in self.campaigns:
                if campaign.id == campaign_id:
                    return campaign
            known = ", ".join(c.id for c in self.campaigns)
            raise SourcesError(self.path, [Problem(0, "campaigns", f"нет кампании «{campaign_id}»; есть: {known}")])
        running = [c for c in self.campaigns if c.start <= today <= c.end]
        started = [c for c in self.campaigns if c.start <= today]
        return (running or started or sorted(self.campaigns, key=lambda c: c.start))[-1]

    def channels(self) -> Iterator[tuple[MunicipalityEntry, InstitutionEntry, ChannelEntry]]:
        for municipality in self.municipalities:
            for institution in municipality.all_institutions():
                for channel in institution.channels:
                    yield municipality, institution, channel


@dataclass(slots=True, frozen=True)
class Problem:
    line: int
    field: str
    message: str


class SourcesError(Exception):
    """The registry cannot be used; holds every problem found."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.path}: найдено ошибок: {len(self.problems)}"] if len(self.problems) > 1 else []
        for problem in self.problems:
            where = f"{self.path}, строка {problem.line}" if problem.line else str(self.path)
            lines.append(f"{where}, поле «{problem.field}»: {problem.message}")
        return "\n".join(lines)


class _Checker:
    """Collects problems while reading the YAML tree."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(line, path, message))

    def mapping(self, value: Any, line: int, path: str) -> LinedMap | None:
        if isinstance(value, LinedMap):
            return value
        self.add(line, path, "ожидается блок «ключ: значение»")
        return None

    def text(self, block: LinedMap, key: str, path: str, required: bool = True) -> str:
        value = block.get(key)
        line = block.key_lines.get(key, block.line)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(line, f"{path}.{key}" if path else key, "обязательное поле не заполнено")
            return ""
        if not isinstance(value, (str, int, float)):
            self.add(line, f"{path}.{key}" if path else key, "ожидается строка")
            return ""
        return str(value).strip()

    def date(self, value: Any, line: int, path: str) -> date | None:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(line, path, f"ожидается дата в виде ГГГГ-ММ-ДД, получено «{value}»")
        return None

    def items(self, block: LinedMap, key: str, path: str) -> list[Any]:
        value = block.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(block.key_lines.get(key, block.line), f"{path}.{key}" if path else key, "ожидается список")
            return []
        return value


def load(path: str | Path, *, packed: bool = False) -> Registry:
    """Read and validate a sources.yaml; raise SourcesError listing every problem.

    `packed`: keep each municipality's institutions compressed (see MunicipalityEntry.all_institutions)."""
    path = Path(path)
    try:
        source = path.read_bytes()
        _check_utf8(source)  # checked first; the loader reads the bytes (the text would take twice as much)
    except FileNotFoundError:
        raise SourcesError(path, [Problem(0, "файл", "файл не найден; укажите путь через --sources")]) from None
    except UnicodeDecodeError:
        raise SourcesError(path, [Problem(0, "файл", "файл не в кодировке UTF-8; сохраните его в UTF-8")]) from None
    return loads(source, path, packed=packed)


def _check_utf8(source: bytes) -> None:
    """Raise UnicodeDecodeError unless `source` is UTF-8; decoded in pieces, so the whole text (twice the
    bytes for Cyrillic) never exists at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(source)
    for start in range(0, len(source), _UTF8_PIECE):
        decoder.decode(view[start:start + _UTF8_PIECE])
    decoder.decode(b"", final=True)


_UTF8_PIECE = 1 << 16


def loads(source: str | bytes, path: Path, *, packed: bool = False) -> Registry:
    """Validate registry text (or its UTF-8 bytes); `path` is only named in messages."""
    packer = _Packer() if packed else None
    try:
        tree = load_lined(source, Fold("municipalities", packer or _read_municipality))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = explain(exc, source.decode("utf-8") if isinstance(source, bytes) else source)
        if mark is not None:
            problem += f" (столбец {mark.column + 1})"
        raise SourcesError(path, [Problem(mark.line + 1 if mark else 0, "синтаксис", problem)]) from None
    return _parse(tree, path, packer)


def parse(tree: Any, path: Path) -> Registry:
    """Validate an already-read tree; a plain dict (no line numbers) is re-read to get them."""
    if isinstance(tree, dict) and not isinstance(tree, LinedMap):
        return loads(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), path)
    return _parse(tree, path, None)


def _parse(tree: Any, path: Path, packer: _Packer | None) -> Registry:
    check = _Checker()
    root = check.mapping(tree, 1, "файл")
    if root is None:
        raise SourcesError(path, check.problems)
    region = check.mapping(root.get("region"), root.key_lines.get("region", 1), "region") or LinedMap()
    region_name = check.text(region, "name", "region")
    tz_name = check.text(region, "timezone", "region")
    timezone = ZoneInfo("UTC")
    if tz_name:
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            check.add(region.key_lines.get("timezone", region.line), "region.timezone",
                      f"неизвестный часовой пояс «{tz_name}»; пример: Asia/Irkutsk")
    settings = _settings(check, root)
    campaigns = tuple(_campaigns(check, root))
    municipalities = tuple(_municipalities(check, root))
    if packer is None:
        _duplicate_channels(check, municipalities)
    elif packer.repeated:  # a channel seen twice (or two digests alike): the exact check, over the unpacked records
        _duplicate_channels(check, tuple(replace(m, institutions=m.all_institutions()) for m in municipalities))
    if check.problems:
        raise SourcesError(path, check.problems)
    return Registry(path, region_name, timezone, settings, campaigns, municipalities)


def _settings(check: _Checker, root: LinedMap) -> dict[str, Any]:
    block = root.get("settings")
    if block is None:
        return {}
    block = check.mapping(block, root.key_lines.get("settings", 1), "settings")
    if block is None:
        return {}
    for key in block:
        line = block.key_lines[key]
        if any(word in str(key).lower() for word in SECRET_WORDS):
            check.add(line, f"settings.{key}", "секреты (токены, пароли) задаются только переменными окружения, "
                                               "не в sources.yaml; удалите эту строку")
        elif key not in YAML_KEYS:
            check.add(line, f"settings.{key}", f"неизвестная настройка; допустимы: {', '.join(sorted(YAML_KEYS))}")
        else:
            problem = _setting_problem(key, block[key])
            if problem:
                check.add(line, f"settings.{key}", problem)
    return dict(block)


def _setting_problem(key: str, value: Any) -> str | None:
    """Why a `settings:` value cannot be used, in Russian; None when it can."""
    if key == "host_delays":
        if not isinstance(value, dict) or not all(
                isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0
                for seconds in value.values()):
            return "ожидается блок «адрес сайта: секунды», например {t.me: 1.0}"
        return None
    try:
        applied = from_yaml(Settings(), {key: value})
    except (ValueError, TypeError):
        return f"недопустимое значение «{value}»"
    section, name = YAML_KEYS[key]
    result = getattr(getattr(applied, section) if section else applied, name)
    if isinstance(result, (int, float)) and not isinstance(result, bool) and result < 0:
        return f"значение не может быть отрицательным: {value}"
    return None


def _campaigns(check: _Checker, root: LinedMap) -> Iterator[Campaign]:
    items = check.items(root, "campaigns", "")
    if not items:
        check.add(root.key_lines.get("campaigns", 1), "campaigns", "нужна хотя бы одна кампания")
    seen: set[str] = set()
    for index, item in enumerate(items):
        path = f"campaigns[{index}]"
        block = check.mapping(item, root.key_lines.get("campaigns", 1), path)
        if block is None:
            continue
        campaign_id = check.text(block, "id", path)
        if campaign_id in seen:
            check.add(block.line, f"{path}.id", f"кампания «{campaign_id}» описана дважды")
        seen.add(campaign_id)
        start = check.date(block.get("start"), block.key_lines.get("start", block.line), f"{path}.start")
        end = check.date(block.get("end"), block.key_lines.get("end", block.line), f"{path}.end")
        deadlines_line = block.key_lines.get("deadlines", block.line)
        deadlines = [check.date(value, deadlines_line, f"{path}.deadlines[{i}]")
                     for i, value in enumerate(check.items(block, "deadlines", path))]
        if not deadlines:
            check.add(deadlines_line, f"{path}.deadlines", "нужен хотя бы один срок отчёта")
        valid = [d for d in deadlines if d is not None]
        if valid != sorted(set(valid)):
            check.add(deadlines_line, f"{path}.deadlines", "сроки должны идти по возрастанию без повторов")
        if start and end and start > end:
            check.add(block.key_lines.get("end", block.line), f"{path}.end", "конец кампании раньше её начала")
        if start and any(d < start for d in valid):
            check.add(deadlines_line, f"{path}.deadlines", "срок отчёта раньше начала кампании")
        recipient = block.get("recipient")
        recipient_name = recipient_email = ""
        if recipient is not None and (recipient := check.mapping(recipient, block.line, f"{path}.recipient")):
            recipient_name = check.text(recipient, "name", f"{path}.recipient")
            recipient_email = check.text(recipient, "email", f"{path}.recipient", required=False)
            if recipient_email and "@" not in recipient_email:
                check.add(recipient.key_lines.get("email", recipient.line), f"{path}.recipient.email",
                          f"не похоже на адрес электронной почты: «{recipient_email}»")
        phrases = tuple(str(p) for p in check.items(block, "phrases", path))
        hashtags = tuple(str(h) for h in check.items(block, "hashtags", path))
        for tag in hashtags:
            if not tag.startswith("#"):
                check.add(block.key_lines.get("hashtags", block.line), f"{path}.hashtags",
                          f"хештег должен начинаться с #: «{tag}»")
        if start and end and len(valid) == len(deadlines):
            yield Campaign(campaign_id, check.text(block, "name", path), start, end, tuple(valid),
                           recipient_name, recipient_email, phrases, hashtags)


@dataclass(slots=True)
class _Municipality:
    """One item of `municipalities:` checked on its own (as soon as the loader has read it, so the
    file's whole tree is never held): its record and its problems, before and after the check of
    its name against the others, which needs the items before it."""

    entry: MunicipalityEntry | None
    name: str
    line: int
    head: list[Problem]
    tail: list[Problem]


def _read_municipality(item: Any, index: int, list_line: int) -> _Municipality:
    check = _Checker()
    path = f"municipalities[{index}]"
    block = check.mapping(item, list_line, path)
    if block is None:
        return _Municipality(None, "", 0, check.problems, [])
    name = check.text(block, "name", path)
    head, check.problems = check.problems, []
    institutions = tuple(_institutions(check, block, path))
    entry = MunicipalityEntry(name, check.text(block, "official_name", path, required=False),
                              check.text(block, "authority", path, required=False), institutions, block.line)
    return _Municipality(entry, name, block.line, head, check.problems)


class _Packer:
    """Folds each municipality as `_read_municipality` does, then packs its institutions; keeps a digest
    of each channel's (kind, address), so a channel listed twice is noticed without every address kept."""

    def __init__(self) -> None:
        self.digests: set[int] = set()
        self.repeated = False

    def __call__(self, item: Any, index: int, list_line: int) -> _Municipality:
        read = _read_municipality(item, index, list_line)
        if read.entry is not None:
            for institution in read.entry.institutions:
                for channel in institution.channels:
                    digest = hash((channel.kind, channel.address))
                    self.repeated = self.repeated or digest in self.digests
                    self.digests.add(digest)
            packed = zlib.compress(pickle.dumps(read.entry.institutions, pickle.HIGHEST_PROTOCOL), 1)
            read.entry = replace(read.entry, institutions=(), packed=packed)
        return read


def _municipalities(check: _Checker, root: LinedMap) -> Iterator[MunicipalityEntry]:
    items = check.items(root, "municipalities", "")
    if not items:
        check.add(root.key_lines.get("municipalities", 1), "municipalities", "нужен хотя бы один муниципалитет")
    names: set[str] = set()
    for index, item in enumerate(items):
        read = item if isinstance(item, _Municipality) else \
            _read_municipality(item, index, root.key_lines.get("municipalities", 1))
        check.problems.extend(read.head)
        if read.entry is None:
            continue
        if read.name.casefold() in names:
            check.add(read.line, f"municipalities[{index}].name", f"муниципалитет «{read.name}» описан дважды")
        names.add(read.name.casefold())
        check.problems.extend(read.tail)
        yield read.entry


def _institutions(check: _Checker, municipality: LinedMap, parent: str) -> Iterator[InstitutionEntry]:
    names: set[str] = set()
    for index, item in enumerate(check.items(municipality, "institutions", parent)):
        path = f"{parent}.institutions[{index}]"
        block = check.mapping(item, municipality.key_lines.get("institutions", municipality.line), path)
        if block is None:
            continue
        name = check.text(block, "name", path)
        if name.casefold() in names:
            check.add(block.line, f"{path}.name", f"учреждение «{name}» описано в муниципалитете дважды")
        names.add(name.casefold())
        kind = sys.intern(check.text(block, "kind", path))  # one string per kind, not one per institution
        if kind and kind not in INSTITUTION_KINDS:
            check.add(block.key_lines.get("kind", block.line), f"{path}.kind",
                      f"неизвестный тип «{kind}»; допустимы: {', '.join(INSTITUTION_KINDS)}")
        channels = tuple(_channels(check, block, path))
        yield InstitutionEntry(name, kind, channels, check.text(block, "note", path, required=False), block.line)


def _channels(check: _Checker, institution: LinedMap, parent: str) -> Iterator[ChannelEntry]:
    for index, item in enumerate(check.items(institution, "channels", parent)):
        path = f"{parent}.channels[{index}]"
        line = institution.key_lines.get("channels", institution.line)
        if isinstance(item, LinedMap):
            line = item.line
        block = check.mapping(item, line, path)
        if block is None:
            continue
        kinds = [key for key in block if key in NORMALIZERS]
        unknown = [key for key in block if key not in NORMALIZERS and key not in CHANNEL_OPTIONS]
        for key in unknown:
            check.add(block.key_lines[key], f"{path}.{key}", "неизвестный ключ; канал задаётся одним из ключей "
                                                             "website, vk, telegram, ok, max и настройками "
                                                             f"{', '.join(sorted(CHANNEL_OPTIONS))}")
        if len(kinds) != 1:
            check.add(line, path, "у канала должен быть ровно один из ключей website, vk, telegram, ok, max")
            continue
        kind = sys.intern(kinds[0])  # one string per kind, not one per channel
        try:
            address = NORMALIZERS[kind](str(block[kind] or ""))
        except AddressError as exc:
            check.add(block.key_lines[kind], f"{path}.{kind}", str(exc))
            continue
        options = {key: value for key, value in block.items() if key in CHANNEL_OPTIONS - {"enabled"}}
        if "selectors" in options and not isinstance(options["selectors"], dict):
            check.add(block.key_lines["selectors"], f"{path}.selectors", "ожидается блок «поле: CSS-селектор»")
        enabled = block.get("enabled", True)
        if not isinstance(enabled, bool):
            check.add(block.key_lines["enabled"], f"{path}.enabled", "ожидается true или false")
        yield ChannelEntry(kind, address, enabled is not False, {k: _plain(v) for k, v in options.items()},
                           block.key_lines[kind])


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


def _duplicate_channels(check: _Checker, municipalities: tuple[MunicipalityEntry, ...]) -> None:
    owners: dict[tuple[str, str], tuple[str, str]] = {}  # (municipality, institution): its name written only if needed
    for municipality in municipalities:
        for institution in municipality.institutions:
            for channel in institution.channels:
                key = (channel.kind, channel.address)
                if key in owners:
                    owner = " / ".join(owners[key])
                    check.add(channel.line, channel.kind, f"канал {channel.address} уже указан у «{owner}»; "
                                                          "один канал может принадлежать только одному учреждению")
                else:
                    owners[key] = (municipality.name, institution.name)


def warnings(registry: Registry) -> list[str]:
    """What `sources check` reminds of without refusing the file: gaps later commands will meet."""
    found = []
    for campaign in registry.campaigns:
        if not campaign.recipient_email:
            found.append(f"{registry.path}: у кампании «{campaign.id}» не указан адрес получателя отчётов "
                         "(campaigns[].recipient.email); он понадобится команде natmon report send")
    for municipality in registry.municipalities:
        if not municipality.authority:
            found.append(f"{registry.path}, строка {municipality.line}: у муниципалитета «{municipality.name}» "
                         "не указан орган управления образованием (authority); он пишется в отчёте и в "
                         "письме с ним — впишите его")
    return found


__all__ = ["Registry", "Campaign", "MunicipalityEntry", "InstitutionEntry", "ChannelEntry", "SourcesError",
           "Problem", "load", "loads", "parse", "warnings", "INSTITUTION_KINDS"]
