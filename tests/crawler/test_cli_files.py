"""No tracebacks: every command meets a path it cannot use with a Russian message naming the path.

Each command is run (in process) with one of its path parameters broken at a time: a directory
where a file is expected, a missing path, an entry that cannot be opened and bad bytes; outputs
go into a missing folder, under a file, or onto a directory. Tests run as root, where
`chmod 000` still reads; an entry no process can open is a UNIX socket (open() fails with ENXIO
whoever asks), and real permissions are checked in `test_cli_permissions.py` with the
privilege that overrides them dropped.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawler.cli import app
from crawler.registry import load
from crawler.store import Store
from tests.crawler.cli_walk import leaf_commands

DATA = Path(__file__).parent.parent / "data"
GOOD_SOURCES = DATA / "registry" / "good.yaml"

# a valid call of each command; {name} is a path the test fills in, then breaks one at a time
CALLS: dict[str, list[list[str]]] = {
    "crawl": [["--sources", "{sources}", "--db", "{db}", "--channel-kind", "website", "--municipality", "Село"]],
    "demo": [["--output-dir", "{outdir}", "--port", "0"]],
    "match": [["{jsonl}"], ["--eval", "{jsonl}"]],
    "serve": [["--dev", "--sources", "{sources}", "--db", "{db}"]],
    "notify": [["--sources", "{sources}", "--db", "{db}"]],
    "bot": [["--sources", "{sources}", "--db", "{db}"]],
    "sources check": [["--sources", "{sources}"]],
    "sources import": [["{csv}", "--municipality", "г. Зима"],
                       ["{csv}", "--municipality", "г. Зима", "--output", "{out}"]],
    "sources discover": [["--sources", "{sources}"]],
    "parse website": [["{html}"]],
    "parse vk": [["{json}"]],
    "parse telegram": [["{html}"]],
    "parse ok": [["{json}"]],
    "parse max": [["{json}"]],
    "report periods": [["--sources", "{sources}"]],
    "report preview": [["-m", "г. Зима", "--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025",
                        "--output-dir", "{outdir}"],
                       ["-m", "г. Зима", "--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025",
                        "--output", "{out}"]],
    "report draft": [["-m", "г. Зима", "--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025",
                      "--output-dir", "{outdir}"],
                     ["-m", "г. Зима", "--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025",
                      "--output", "{out}", "--template", "{template}"]],
    "report import": [["{xlsx}", "--sources", "{sources}", "--db", "{db}"]],
    "report final": [["-m", "г. Зима", "--allow-pending", "--sources", "{sources}", "--db", "{db}", "--period",
                      "24.01.2025", "--output-dir", "{outdir}"],
                     ["-m", "г. Зима", "--allow-pending", "--sources", "{sources}", "--db", "{db}", "--period",
                      "24.01.2025", "--output", "{out}", "--template", "{template}"]],
    "report region": [["--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025", "--output-dir", "{outdir}"],
                      ["--sources", "{sources}", "--db", "{db}", "--period", "24.01.2025", "--output", "{out}"]],
    # --output-dir of send is written only after a real send (tests/reports/test_mail_cli.py)
    "report send": [["-m", "г. Зима", "--sources", "{sources}", "--db", "{db}"]],
    "report status": [["--sources", "{sources}", "--db", "{db}"]],
    "users add": [["ivanova", "--role", "operator", "--password-stdin", "--db", "{db}"]],
    "users list": [["--db", "{db}"]],
    "users disable": [["ivanova", "--db", "{db}"]],
    "users password": [["ivanova", "--password-stdin", "--db", "{db}"]],
    "users messenger": [["ivanova", "--via", "max", "--db", "{db}"]],
    "users max-ids": [["--db", "{db}"]],
    "store copy": [["{db}", "{outdir}/copy.db"]],
}
INPUTS = ("sources", "csv", "jsonl", "html", "json", "xlsx", "template")  # files read
BREAKS = {
    "input": ("directory", "missing", "socket", "bad bytes"),
    "db": ("directory", "missing folder", "socket", "bad bytes"),
    "out": ("directory", "missing folder", "under a file"),  # a missing folder is made: see the test
    "outdir": ("a file", "under a file"),
}


def role(name: str) -> str:
    return "input" if name in INPUTS else name


def cases() -> list[tuple[str, int, str, str]]:
    found = []
    for command, calls in CALLS.items():
        for index, call in enumerate(calls):
            for name in sorted({m for arg in call for m in re.findall(r"\{(\w+)\}", arg)}):
                found.extend((command, index, name, kind) for kind in BREAKS[role(name)]
                             if not (name == "html" and kind == "bad bytes"))  # any bytes are some HTML
    return found


def test_every_command_has_a_call_here():
    commands = {" ".join(path) for path, _ in leaf_commands()}
    assert commands == set(CALLS), "add a valid call of each new command to CALLS"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("good")
    sources = root / "sources.yaml"
    sources.write_text(GOOD_SOURCES.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store.open(str(root / "natmon.db"))
    store.sync_registry(load(sources))
    store.close()
    (root / "list.csv").write_text("Наименование ОО;Сайт\nМБОУ СОШ № 9;sosh9.example.ru\n", encoding="utf-8")
    (root / "posts.jsonl").write_text('{"text": "Ремонт школы", "label": "none", "projects": []}\n', encoding="utf-8")
    (root / "page.html").write_text("<html><body><p>Новости</p></body></html>", encoding="utf-8")
    (root / "wall.json").write_text('{"response": {"count": 0, "items": []}}', encoding="utf-8")
    (root / "list.xlsx").write_bytes(b"")
    return {"sources": sources, "db": root / "natmon.db", "csv": root / "list.csv", "jsonl": root / "posts.jsonl",
            "html": root / "page.html", "json": root / "wall.json", "xlsx": root / "list.xlsx",
            "out": root / "out" / "result.txt", "outdir": root / "out",
            "template": Path(__file__).parents[2] / "reports" / "templates" / "report_template.xlsx"}


def broken(tmp_path: Path, name: str, kind: str) -> Path:
    suffix = {"sources": ".yaml", "db": ".db", "csv": ".csv", "jsonl": ".jsonl", "html": ".html", "json": ".json",
              "xlsx": ".xlsx", "template": ".xlsx", "out": ".xlsx"}.get(name, "")
    target = tmp_path / f"нужный{suffix}"
    if kind in ("directory", "a file", "under a file"):
        if kind == "directory":
            target.mkdir()
        else:
            target.write_text("обычный файл", encoding="utf-8")
        return target / f"внутри{suffix}" if kind == "under a file" else target
    if kind == "missing":
        return target
    if kind == "missing folder":
        return tmp_path / "нет такой папки" / f"нужный{suffix}"
    if kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(target))
        return target
    assert kind == "bad bytes"
    target.write_bytes(b"\xff\xfe\x00\x81 not a file of this kind \x00\x9f" * 50)
    return target


@pytest.mark.parametrize("command, index, name, kind", cases(), ids=lambda value: str(value))
def test_a_path_that_cannot_be_used_is_named_in_russian(command, index, name, kind, good, tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("the server started"))
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_TOKEN", "123:test")
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_API_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("NATMON_SOURCES", raising=False)
    monkeypatch.delenv("NATMON_DB", raising=False)
    bad = broken(tmp_path, name, kind)
    args = [arg.replace(f"{{{name}}}", str(bad)) for arg in CALLS[command][index]]
    args = [re.sub(r"\{(\w+)\}", lambda m: str(good[m.group(1)]), arg) for arg in args]
    result = CliRunner().invoke(app, [*command.split(), *args], input="секретный-пароль\n", prog_name="natmon")
    assert not result.exception or isinstance(result.exception, SystemExit), repr(result.exception)
    if name == "out" and kind == "missing folder":  # outputs make their folder, as `report … --output-dir` does
        assert result.exit_code == 0 and bad.is_file(), result.output
        return
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert not re.search(r"Errno|No such|Is a directory|Not a directory|zip file|Permission|device", result.output), \
        result.output
    assert str(bad) in result.output or str(bad.parent) in result.output, result.output
    assert re.search("[а-яё]{4}", result.output.replace(str(bad), "")), result.output
