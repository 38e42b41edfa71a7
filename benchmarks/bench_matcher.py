"""Matcher throughput on synthetic posts of realistic length.

Posts are built by recombining sentences written for this benchmark. Two mixes:
"light" — one post in six carries a national-project, federal-project or brand mention
(as in a real crawl, where most posts are unrelated); "heavy" — one post in two does
(relevance-heavy text, the matcher's slow path). Both run by default.

    .venv/bin/python benchmarks/bench_matcher.py [--mix both|light|heavy] [--posts 50000] [--seed 38] [--repeat 3]

Prints, per mix, posts per second of CPU time on one core (each of --repeat runs, the best
and the median), then the peak resident memory (ru_maxrss). Each run times the posts matched
one by one (`Matcher.match`) and in batches of 500 (`Matcher.match_many`, as the crawl and
`natmon match` on a file call it), in turn.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

# Run from a checkout without relying on how the package was installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import Matcher  # noqa: E402

PLAIN = [
    "В школе прошёл традиционный турнир по мини-футболу среди 5–7 классов.",
    "Учащиеся 9 «Б» класса побывали на экскурсии в краеведческом музее.",
    "Родительское собрание пройдёт в четверг в 18:00 в актовом зале.",
    "Поздравляем победителей муниципального этапа олимпиады по математике!",
    "Малыши средней группы подготовили весёлый утренник для мам и бабушек 💐",
    "На уроке литературы шестиклассники читали стихи Есенина и рисовали иллюстрации.",
    "Внимание: в понедельник занятия начинаются в 9:00 из-за морозов.",
    "Волонтёры школы поздравили ветеранов педагогического труда с праздником.",
    "Команда лицея заняла второе место в городской интеллектуальной игре.",
    "В библиотеке открылась выставка книг о природе Байкала.",
    "Сегодня инспектор ГИБДД напомнил ребятам правила перехода через дорогу 🚸",
    "Фото с праздника смотрите в альбоме группы.",
    "Спасибо родителям за помощь в организации ярмарки!",
    "Десятиклассники провели для младших ребят квест по истории родного города.",
    "В детском саду прошла неделя здорового питания: дети пробовали овощные салаты.",
    "Юные артисты театральной студии показали сказку «Морозко».",
    "Отряд юных инспекторов движения выступил на районном смотре.",
    "Педагоги школы прошли курсы по оказанию первой помощи.",
    "Объявляем конкурс новогодних поделок — работы принимаем до 20 декабря.",
    "На лыжне сегодня было морозно, но весело, а горячий чай согрел всех участников ⛷",
    "Школьный хор выступил на концерте ко Дню матери.",
    "Напоминаем, что запись в кружки продолжается до конца месяца.",
    "Наши спортсмены привезли три медали с областных соревнований по самбо 🥇",
    "В 11 классе прошёл пробный экзамен по русскому языку.",
    "Малыши ясельной группы учились мыть руки и напевали потешки.",
    "Кадры с выпускного уже в нашей группе ВКонтакте!",
    "Семья Петровых победила в конкурсе «Папа, мама, я — спортивная семья».",
    "Классный час был посвящён культуре общения в социальных сетях.",
    "На субботнике ученики убрали пришкольный участок и побелили деревья.",
    "Ребята из экологического кружка изучили качество воды в местном ручье.",
    "В столовой появилось новое меню — родители могут посмотреть его на сайте.",
    "Благодарим шефов-предприятие за подаренные спортивные тренажёры.",
    "В гимназии прошёл день самоуправления: уроки вели старшеклассники.",
    "Выпускники прошлых лет рассказали ребятам о студенческой жизни.",
    "Воспитанники подготовительной группы посетили школу и познакомились с учителями.",
    "В национальных костюмах дети водили хоровод на празднике Сагаалган.",
    "Подведены итоги конкурса чтецов: победила Алина из 4 «А».",
    "Определены точки роста школы на следующий год: математика и физика.",
]
RELATED = [
    "Работы выполнены в рамках нацпроекта «Молодёжь и дети».",
    "В школе открыт центр «Точка роста» с лабораториями по физике и химии.",
    "Оборудование получено по федеральному проекту «Цифровая образовательная среда».",
    "Ребята занимаются в детском технопарке «Кванториум».",
    "Проект «Билет в будущее» помогает школьникам выбрать профессию.",
    "Советник директора по воспитанию провела классный час для 7 классов.",
    "По программе капремонта в школе заменили кровлю и окна.",
    "Капитальный ремонт завершён по федеральному проекту «Всё лучшее детям» национального проекта «Молодёжь и дети».",
    "В детском саду открылась новая группа для детей до трёх лет.",
    "#нацпроекты38 #Иркутск",
    "Педагог приехала в село по программе «Земский учитель».",
    "Мастерские колледжа созданы по федеральному проекту «Профессионалитет».",
    "Итоги реализации нацпроектов: за шесть лет в районе построены три школы.",
    "Площадка ГТО установлена по НП «Демография».",
]


MIXES = {"light": 6, "heavy": 2}  # one post in N carries a related sentence
BATCH = 500  # posts per Matcher.match_many call, as the crawl matches them


def make_posts(n: int, seed: int, every: int = 6) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    posts: list[tuple[str, str]] = []
    for i in range(n):
        sentences = rng.sample(PLAIN, rng.randint(3, 8))
        if i % every == 0:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(RELATED))
        title = rng.choice(PLAIN)[:60] if i % 3 == 0 else ""
        body = "\n".join(sentences) if i % 2 else " ".join(sentences)
        posts.append((title, body))
    return posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Скорость матчера на синтетических постах.")
    parser.add_argument("--mix", choices=("both", *MIXES), default="both",
                        help="light — связан каждый шестой пост, heavy — каждый второй, both — оба по очереди")
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    matcher = Matcher()
    load = time.perf_counter() - t0
    print(f"загрузка словаря: {load:.2f} с")
    mixes = list(MIXES) if args.mix == "both" else [args.mix]
    summary: list[str] = []
    for mix in mixes:
        posts = make_posts(args.posts, args.seed, MIXES[mix])
        chars = sum(len(t) + len(b) for t, b in posts)
        print(f"смесь {mix} (связан каждый {MIXES[mix]}-й пост): постов {len(posts)}, "
              f"средняя длина {chars / len(posts):.0f} символов")
        rates: dict[str, list[float]] = {"по одному": [], "пачками": []}
        batches = [[(t, b, None) for t, b in posts[i:i + BATCH]] for i in range(0, len(posts), BATCH)]
        for _ in range(args.repeat):  # a busy machine slows single runs: report each and the best
            for way, rate in rates.items():  # both ways in the same minute, so they compare fairly
                labels: Counter[str] = Counter()
                t1 = time.perf_counter()
                c1 = time.process_time()
                if way == "по одному":
                    for title, body in posts:
                        labels[matcher.match(title, body).label] += 1
                else:
                    for batch in batches:
                        labels.update(m.label for m in matcher.match_many(batch))
                elapsed = time.perf_counter() - t1
                cpu = time.process_time() - c1
                rate.append(len(posts) / cpu)
                print(f"  прогон {way}: {elapsed:.2f} с, процессор {cpu:.2f} с: "
                      f"{len(posts) / cpu:,.0f} постов/с процессорного времени")
        print("  метки: " + ", ".join(f"{k}={v}" for k, v in sorted(labels.items())))
        for way, rate in rates.items():
            summary.append(f"скорость {way}, смесь {mix} (одно ядро): лучшая {max(rate):,.0f}, "
                           f"медиана {statistics.median(rate):,.0f} постов/с")
        del batches
        del posts  # the next mix's posts are built afresh: do not count both lists in the peak
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    for line in summary:
        print(line)
    print(f"пиковая память: {peak_mb:.0f} МБ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
