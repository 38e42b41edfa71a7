"""Matching many posts at once (Matcher.match_many) decides as matching them one by one.

The crawl and `natmon match` on a file hand the matcher hundreds of posts at a time; the batch
path must give each post the decision `match` gives it, stay driven by the lexicon data, and
decide a post repeated in the batch once.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from matching import Matcher

from tests.matching.test_matching_fastpath import _lexicon_with

_TODAY = date(2026, 12, 3)
DATA = Path(__file__).resolve().parents[1] / "data" / "matching"


def _posts() -> list[tuple[str, str, str | None]]:
    """Every post of the written sets, with its date and again without one."""
    out: list[tuple[str, str, str | None]] = []
    for path in sorted(DATA.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            if "text" not in record:
                continue
            title, text = record.get("title") or "", record["text"]
            out.append((title, text, record.get("published_at") or record.get("date")))
            out.append((title, text, None))
    return out


def test_a_batch_gets_the_decisions_of_one_post_at_a_time() -> None:
    matcher = Matcher(today=_TODAY)
    posts = _posts()
    assert len(posts) > 500
    one_by_one = [matcher.match(t, x, published=d) for t, x, d in posts]
    assert matcher.match_many(posts) == one_by_one
    # the decisions cover every kind, so the comparison means something
    assert {m.label for m in one_by_one} == {"explicit", "implicit", "none"}


class _Counting(Matcher):
    def __init__(self) -> None:
        super().__init__(today=_TODAY)
        self.calls = 0

    def match(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().match(*args, **kwargs)


def test_a_post_repeated_in_a_batch_is_decided_once_with_its_own_date() -> None:
    matcher = _Counting()
    text = "Пушкинская карта помогла ребятам сходить в театр всем классом."
    got = matcher.match_many([("", text, "2025-03-01"), ("", text, "01.03.2025"), ("", text, "2023-03-01"),
                              ("", text, "2025-03-01")])
    assert matcher.calls == 2  # the same day written two ways is one decision; 2023 is another
    assert [m.label for m in got] == ["implicit", "implicit", "none", "implicit"]


def test_an_exact_alias_added_to_the_lexicon_is_found_in_batch_and_alone(tmp_path: Path) -> None:
    """A case-sensitive abbreviation added to the YAML is found (the prefilter's pass gates it)."""
    def add_abbreviation(data: dict) -> None:  # type: ignore[type-arg]
        for programme in data["federal_projects"]:
            if programme["name"] == "Цифровая образовательная среда":
                programme["exact_aliases"] = [*programme.get("exact_aliases", []), "ЦиОС"]

    matcher = Matcher(_lexicon_with(tmp_path, "federal_projects.yaml", add_abbreviation), today=_TODAY)
    plain = Matcher(today=_TODAY)
    text = "В кабинете информатики заработало новое оборудование ЦиОС для уроков."
    alone = matcher.match("", text)
    assert alone.label == "implicit"
    assert alone.federal_projects == ("Цифровая образовательная среда",)
    assert [e.phrase for e in alone.evidence if e.kind == "federal_project"] == ["ЦиОС"]
    assert matcher.match_many([("", text, None), ("Новости", text, "2024-05-01")])[0] == alone
    assert matcher.match_many([("Новости", text, "2024-05-01")])[0].label == "implicit"
    assert plain.match("", text).label == "none"  # the built-in lexicon has no such abbreviation
    # case-sensitive: the same letters in lower case are not the abbreviation
    assert matcher.match("", text.replace("ЦиОС", "циос")).label == "none"


def test_match_on_a_file_answers_the_lines_before_a_broken_one(tmp_path: Path) -> None:
    """`natmon match` matches a file's records in batches: a broken line still leaves every line
    read before it answered, then the error names the line."""
    import typer
    from typer.testing import CliRunner

    from crawler.commands.match import register

    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps `match` a subcommand
        """Nothing."""

    src = tmp_path / "posts.jsonl"
    good = [{"id": f"p{i}", "text": "Урок в «Точке роста»" if i % 2 else "Масленица!"} for i in range(3)]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in good) + '{"text": \n',
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["match", str(src)])
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["id"], r["label"]) for r in rows] == [("p0", "none"), ("p1", "implicit"), ("p2", "none")]
    assert "строка 4" in result.output
