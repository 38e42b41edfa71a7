"""Channel discovery: VK, Telegram, Одноклассники and MAX addresses found on institutions' own sites,
as a sources.yaml diff.

The sites link their official pages (Gosweb puts the VK community in its header or footer). The
proposals are inserted into the registry text line by line, so the person's comments and layout
survive, and shown as a unified diff before anything is written.
"""

from __future__ import annotations

import asyncio
import difflib
import re
from dataclasses import dataclass

from channels.base import ChannelError
from channels.web_discovery import discover_channels
from channels.web_encoding import decode_html
from crawler.addresses import NORMALIZERS, AddressError
from crawler.http import PoliteClient
from crawler.registry import InstitutionEntry, MunicipalityEntry, Registry
from crawler.settings import HttpPolicy

WRITABLE_KINDS = ("vk", "telegram", "ok", "max")


@dataclass(slots=True, frozen=True)
class Proposal:
    municipality: str
    institution: InstitutionEntry
    kind: str  # vk | telegram | ok | max
    address: str
    found_on: str


async def find_proposals(registry: Registry, policy: HttpPolicy, municipality: str | None = None,
                         ) -> tuple[list[Proposal], list[str]]:
    """Read each institution's website and propose the social channels it links but the registry lacks."""
    known = {(channel.kind, channel.address) for _, _, channel in registry.channels()}
    proposals: list[Proposal] = []
    problems: list[str] = []
    municipalities = [registry.municipality(municipality)] if municipality else list(registry.municipalities)
    async with PoliteClient(policy) as client:
        async def visit(place: MunicipalityEntry, institution: InstitutionEntry, site: str) -> None:
            try:
                response = await client.get(site)
            except ChannelError as exc:
                problems.append(f"{place.name} / {institution.name}: {exc.message}")
                return
            html = decode_html(response.content, response.headers.get("Content-Type"))
            for kind, addresses in discover_channels(html, str(response.url)).items():
                for address in addresses:
                    try:
                        normal = NORMALIZERS[kind](address)
                    except (AddressError, KeyError):  # not a channel natmon can read (a profile, a share page)
                        continue
                    if (kind, normal) not in known:
                        known.add((kind, normal))
                        proposals.append(Proposal(place.name, institution, kind, normal, site))

        await asyncio.gather(*(visit(place, institution, channel.address)
                               for place in municipalities for institution in place.institutions
                               for channel in institution.channels if channel.kind == "website" and channel.enabled))
    return proposals, problems


def apply_proposals(text: str, proposals: list[Proposal]) -> str:
    """The registry text with the proposals inserted into each institution's channels."""
    lines = (text if text.endswith("\n") else text + "\n").splitlines(keepends=True)
    # Work bottom-up so earlier insertions do not shift the line numbers of later ones.
    for institution_line, group in sorted(_by_institution(proposals).items(), reverse=True):
        entries = [f"{p.kind}: {_quote(p.address)}" for p in group if p.kind in WRITABLE_KINDS]
        if entries:
            lines = _insert_channels(lines, institution_line - 1, entries)
    return "".join(lines)


def unified_diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=name, tofile=f"{name} (предложено)"))


def _by_institution(proposals: list[Proposal]) -> dict[int, list[Proposal]]:
    groups: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        groups.setdefault(proposal.institution.line, []).append(proposal)
    return groups


_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_]+):(.*)$")


def _insert_channels(lines: list[str], start: int, entries: list[str]) -> list[str]:
    """Insert channel items under the institution whose mapping starts at line index `start`."""
    first = _KEY.match(lines[start])
    if first is None:
        return lines
    key_indent = len(first.group(1)) + len(first.group(2) or "")
    end = start + 1
    channels_at = None
    while end < len(lines):
        match = _KEY.match(lines[end])
        stripped = lines[end].strip()
        indent = len(lines[end]) - len(lines[end].lstrip())
        if stripped and not stripped.startswith("#") and indent < key_indent:
            break
        if stripped.startswith("- ") and indent <= key_indent - 2:
            break
        if match and len(match.group(1)) == key_indent and not match.group(2) and match.group(3) == "channels":
            channels_at = end
        end += 1
    if channels_at is None:
        block = [" " * key_indent + "channels:\n"] + [" " * (key_indent + 2) + f"- {e}\n" for e in entries]
        return lines[:end] + block + lines[end:]
    if lines[channels_at].split(":", 1)[1].strip().startswith("[]"):
        lines = lines[:channels_at] + [" " * key_indent + "channels:\n"] + lines[channels_at + 1:]
    item_indent = key_indent + 2
    for line in lines[channels_at + 1:end]:
        if line.strip().startswith("- "):
            item_indent = len(line) - len(line.lstrip())
            break
    last = channels_at + 1
    while last < end and (not lines[last].strip() or len(lines[last]) - len(lines[last].lstrip()) >= item_indent):
        last += 1
    while last > channels_at + 1 and not lines[last - 1].strip():
        last -= 1
    block = [" " * item_indent + f"- {e}\n" for e in entries]
    return lines[:last] + block + lines[last:]


def _quote(address: str) -> str:
    return f'"{address}"' if address[:1] in "@#&*!|>'\"%" else address
