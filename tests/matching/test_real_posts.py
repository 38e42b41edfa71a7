"""The real-posts merge (benchmarks/real_posts.py) and the plain-regex baseline.

Posts here are written for this test; they only need the shape of the local files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import real_posts
from benchmarks.real_regex_baseline import predict


def post(pid: str, url: str, text: str, label: str = "none", **extra: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": pid, "url": url, "date": "", "channel": "website", "title": "", "text": text, "label": label,
        "projects": [], "federal_projects": [], "campaign": False, "formats": [], "why": "written for the test",
    }
    record.update(extra)
    return record


def write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_spellings_of_one_page_share_a_normalised_url() -> None:
    a = real_posts.normalise_url("https://www.school.example.ru/news/12/?utm_source=vk")
    b = real_posts.normalise_url("http://school.example.ru./news/12")
    c = real_posts.normalise_url("https://m.school.example.ru/news/12/")
    assert a == b == c
    assert real_posts.normalise_url("https://school.example.ru/news/13") != a


def test_split_depends_on_the_url_only_and_takes_about_a_third() -> None:
    urls = [f"https://school{i}.example.ru/news/{i * 7}" for i in range(3000)]
    splits = [real_posts.split_of(u) for u in urls]
    assert splits == [real_posts.split_of(u) for u in urls]
    assert real_posts.split_of("https://www.school1.example.ru/news/7/") == real_posts.split_of(urls[1])
    share = splits.count("test") / len(splits)
    assert 0.30 < share < 0.37


def test_merge_drops_the_same_page_and_the_same_story_keeping_the_first(tmp_path: Path) -> None:
    story = "В посёлке открыли новый детский сад на сто мест, в нём две группы для малышей до трёх лет и бассейн"
    pos = write(tmp_path / "pos.jsonl", [
        post("p1", "https://a.example.ru/n/1", story, "implicit"),
        post("p2", "https://b.example.ru/n/2", "Школьники сдали нормы ГТО на стадионе района"),
    ])
    neg = write(tmp_path / "neg.jsonl", [
        post("n1", "http://www.a.example.ru/n/1/", "другой текст той же страницы"),
        post("n2", "https://c.example.ru/n/9", story + ".", "none"),
        post("n3", "https://d.example.ru/n/3", "Учитель литературы провёл открытый урок по басням Крылова"),
    ])
    kept, notes = real_posts.merge([pos, neg])
    assert [p["id"] for p in kept] == ["p1", "p2", "n3"]
    assert len(notes) == 2
    assert kept[0]["label"] == "implicit"


def test_outputs_keep_text_out_of_the_manifest(tmp_path: Path) -> None:
    pos = write(tmp_path / "pos.jsonl", [
        post(f"p{i}", f"https://s{i}.example.ru/news/{i}", f"Новость номер {i} о школьной олимпиаде", title=f"Заголовок {i}")
        for i in range(30)
    ])
    manifest = tmp_path / "repo" / "manifest.jsonl"
    assert real_posts.main([str(pos), str(tmp_path / "missing.jsonl"), "--out-dir", str(tmp_path), "--manifest", str(manifest)]) == 0
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 30
    assert all("text" not in r and "title" not in r for r in rows)
    assert {r["split"] for r in rows} <= {"dev", "test"}
    dev = (tmp_path / "real-dev.jsonl").read_text(encoding="utf-8").splitlines()
    test = (tmp_path / "real-test.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(dev) + len(test) == 30
    assert json.loads(dev[0])["text"].startswith("Новость номер")


def test_a_named_split_keeps_every_post_in_one_held_out_file(tmp_path: Path) -> None:
    pos = write(tmp_path / "pos.jsonl", [
        post(f"f{i}", f"https://s{i}.example.ru/news/{i}", f"Заметка {i} о школьном субботнике") for i in range(30)
    ])
    manifest = tmp_path / "repo" / "manifest-fresh.jsonl"
    args = [str(pos), "--out-dir", str(tmp_path), "--manifest", str(manifest), "--split", "fresh"]
    assert real_posts.main(args) == 0
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    assert [r["split"] for r in rows] == ["fresh"] * 30
    assert len((tmp_path / "real-fresh.jsonl").read_text(encoding="utf-8").splitlines()) == 30
    assert not (tmp_path / "real-dev.jsonl").exists() and not (tmp_path / "real-test.jsonl").exists()


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (post("p1", "https://x.example.ru/1", "текст", "explicit"), "projects"),
        (post("p1", "https://x.example.ru/1", "текст", "implicit", projects=["Семья"]), "projects"),
        (post("p1", "https://x.example.ru/1", "текст", "none", formats=["object_built"]), "formats"),
        (post("p1", "https://x.example.ru/1", "текст", "explicit", projects=["Семьи"]), "Семьи"),
        (post("p1", "https://x.example.ru/1", "текст", date="2025"), "дата"),
    ],
)
def test_inconsistent_labels_are_refused_with_the_reason(record: dict[str, object], problem: str) -> None:
    assert problem in real_posts.check(record)


def test_a_bad_line_stops_the_merge_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "pos.jsonl"
    bad.write_text(json.dumps(post("p1", "https://x.example.ru/1", "текст")) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"pos\.jsonl, строка 2"):
        real_posts.merge([bad])


def test_regex_baseline_reads_the_three_labels() -> None:
    explicit = predict("", "Ремонт спортзала провели по нацпроекту «Образование».")
    assert (explicit.label, explicit.projects) == ("explicit", ("Образование",))
    general = predict("", "Благодаря национальным проектам в районе стало больше спортплощадок.")
    assert (general.label, general.projects) == ("explicit", ("нацпроекты (в целом)",))
    implicit = predict("", "В центре «Точка роста» прошёл урок химии с цифровой лабораторией.")
    assert (implicit.label, implicit.federal_projects) == ("implicit", ("Точка роста",))
    assert predict("", "В школе прошёл концерт ко Дню матери.").label == "none"
