"""A plain-regex baseline for the matcher, scored with the same metrics as `natmon match --eval`.

It is the naive rule a new user would write first, kept here so that the matcher's
scores on real posts can be read against it:

  * explicit: the title or text matches `нацпроект|национальн\\w*\\s+проект`;
  * implicit: otherwise, a programme, brand or federal-project name from a short list occurs;
  * none: everything else.

Projects are the canonical national-project names found in the text (quoted or not), or
"нацпроекты (в целом)" when none is found. Campaign and formats are never guessed.

    .venv/bin/python benchmarks/real_regex_baseline.py /work/realposts/real-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# Run from a checkout without relying on how the package was installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.commands.match import format_report  # noqa: E402
from matching.evaluate import evaluate, gold_from_records  # noqa: E402
from matching.records import Match  # noqa: E402

VERSION = "regex-baseline"
EXPLICIT = re.compile(r"нацпроект|национальн\w*\s+проект", re.IGNORECASE)
GENERAL = "нацпроекты (в целом)"

# Canonical national-project name → the words that spell it in a post (ё folded to е).
PROJECTS = {
    "Образование": r"образовани[еяю]",
    "Демография": r"демографи[яиюей]",
    "Культура": r"культур[аыуе]",
    "Экология": r"экологи[яиюей]",
    "Жильё и городская среда": r"жиль[ея] и городская среда",
    "Безопасные качественные дороги": r"безопасные (и )?качественные (автомобильные )?дороги",
    "Наука и университеты": r"наука и университеты",
    "Цифровая экономика": r"цифровая экономика",
    "Здравоохранение": r"здравоохранени[еяю]",
    "Молодёжь и дети": r"молодежь и дети",
    "Семья": r"семья",
    "Кадры": r"кадры",
    "Продолжительная и активная жизнь": r"продолжительная и активная жизнь",
    "Экологическое благополучие": r"экологическое благополучие",
    "Инфраструктура для жизни": r"инфраструктура для жизни",
    "Экономика данных и цифровая трансформация государства": r"экономика данных",
    "Беспилотные авиационные системы": r"беспилотные авиационные системы",
}
# The name must follow the project word closely («нацпроекта «Образование»», «проекту "Семья"»).
NEAR = r"(?:нацпроект|национальн\w*\s+проект)\w*\s*[«\"“„']?\s*(?:{name})"

PROGRAMMES = {
    "Точка роста": r"точк\w* роста",
    "Кванториум": r"кванториум",
    "IT-куб": r"it-куб|ит-куб",
    "Билет в будущее": r"билет в будущее",
    "Профессионалитет": r"профессионалитет",
    "Навигаторы детства": r"навигатор\w* детства|советник\w* директора по воспитанию",
    "Земский учитель": r"земск\w* учител",
    "Пушкинская карта": r"пушкинск\w* карт",
    "Орлята России": r"орлят\w* росси",
    "Успех каждого ребёнка": r"успех каждого ребенка",
    "Современная школа": r"современная школа",
    "Цифровая образовательная среда": r"цифровая образовательная среда",
    "Всё лучшее детям": r"все лучшее детям",
    "Патриотическое воспитание граждан Российской Федерации": r"патриотическое воспитание граждан",
    "Спорт — норма жизни": r"спорт\s*[—–-]\s*норма жизни",
    "Культурная среда": r"культурная среда",
    "Большая перемена": r"большая перемена",
    "Дом научной коллаборации": r"дом\w* научной коллаборации",
    "Капремонт школ": r"модернизаци\w* школьных систем",
}


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def predict(title: str, text: str) -> Match:
    body = fold(f"{title}\n{text}")
    programmes = tuple(name for name, pattern in PROGRAMMES.items() if re.search(pattern, body))
    if EXPLICIT.search(body):
        projects = tuple(name for name, words in PROJECTS.items() if re.search(NEAR.format(name=words), body))
        return Match("explicit", projects or (GENERAL,), programmes, False, (), (), VERSION)
    if programmes:
        return Match("implicit", (), programmes, False, (), (), VERSION)
    return Match("none", (), (), False, (), (), VERSION)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the plain-regex baseline on a labelled JSON Lines file.")
    parser.add_argument("eval_file", type=Path)
    args = parser.parse_args(argv)
    with args.eval_file.open(encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream if line.strip()]
    predicted = [predict(str(r.get("title") or ""), str(r["text"])) for r in records]
    print(format_report(evaluate(gold_from_records(records), predicted)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
