"""Formats on explicit posts: a small learned model per format against the matcher's rules (issue #14).

An experiment, not part of natmon: it needs scikit-learn, which natmon does not depend on
(`.venv/bin/pip install scikit-learn`). Nothing it trains is saved; the real posts' texts stay local.

Reads labelled real-post files (JSON Lines as `natmon match --eval` takes them: `title`, `text`,
`date`, `label`, `formats`, …), runs the current matcher on every post, and trains one linear
classifier per format (logistic regression, balanced class weights, fixed settings: nothing is
tuned on a test file) on the posts labelled explicit in the training files. Four predictions are
scored on each test file:

  * rules     — the matcher's own formats;
  * model     — the classifier on the post's words alone (word and lemma 1–2-grams, TF-IDF);
  * stacked   — the same classifier with the matcher's formats and evidence kinds as extra features
                (the combination chosen before any fold was looked at);
  * veto      — the rules' formats, a format dropped when the stacked model gives it p < 0.2 and
                added when p > 0.8 (a second, more cautious combination, also fixed beforehand).

Agreement is computed exactly as `matching.evaluate` computes «Форматы на явных постах»: on the
posts explicit in the labels AND found explicit by the matcher, the share whose format set equals
the labels' set. Per-format precision / recall are over the same posts.

    .venv/bin/python benchmarks/formats_learned.py --loso /work/realposts/real-all.jsonl \\
        /work/realposts/fresh*/real-fresh*.jsonl
    .venv/bin/python benchmarks/formats_learned.py --train A.jsonl B.jsonl --test C.jsonl
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run from a checkout without relying on how the package was installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.commands.match import InputError, _post_of, _read_jsonl  # noqa: E402
from matching import FORMATS, MATCHER_VERSION, Match, default_matcher  # noqa: E402
from matching.evaluate import evaluate, gold_from_records  # noqa: E402
from matching.morphology import lemmas  # noqa: E402
from matching.normalize import lower  # noqa: E402
from matching.phrases import TOKEN_RE  # noqa: E402

EVIDENCE_KINDS = ("national_project", "general", "federal_project", "programme", "hashtag", "campaign",
                  "format", "topic", "false_friend")
VETO_BELOW, ADD_ABOVE = 0.2, 0.8  # the veto combination's thresholds (fixed before any fold was run)
MODES = ("rules", "model", "stacked", "veto")
# --explore: variants tried after the first LOSO run (post hoc, reported as such)
EXPLORE = ("empty", "model_impl", "model_chars", "stack_impl", "rules_ob")


@dataclass(slots=True)
class Post:
    """One labelled post with the matcher's decision on it."""

    file: str
    record: dict[str, Any]
    match: Match
    words: str  # lower-case tokens joined by spaces
    lemma_seq: str  # one lemma a token, joined by spaces

    @property
    def gold_formats(self) -> frozenset[str] | None:
        f = self.record.get("formats")
        return frozenset(f) if isinstance(f, list) else None

    @property
    def train_ready(self) -> bool:
        """Labelled explicit with formats given: a training example."""
        return self.record.get("label") == "explicit" and self.gold_formats is not None

    @property
    def train_any(self) -> bool:
        """Labelled explicit or implicit with formats given (the guide gives formats to both)."""
        return self.record.get("label") in ("explicit", "implicit") and self.gold_formats is not None

    @property
    def scored(self) -> bool:
        """The posts evaluate.py scores formats on: explicit in the labels and found explicit."""
        return self.train_ready and self.match.label == "explicit"


def _lemma(word: str) -> str:
    """One lemma a word, deterministic: the smallest of pymorphy3's normal forms other than the word."""
    forms = lemmas(word) - {word}
    return min(forms) if forms else word.replace("ё", "е")


def load(path: str, matcher) -> list[Post]:  # type: ignore[no-untyped-def]
    records = list(_read_jsonl(path, need=("text", "label")))
    matches = matcher.match_many(_post_of(r) for r in records)
    # the figure this script prints for «rules» must be the one `natmon match --eval` prints
    report = evaluate(gold_from_records(records), matches, matcher.lexicon.general_label,
                      matcher.lexicon.canonical_project, matcher.lexicon.canonical_programme)
    posts = []
    for r, m in zip(records, matches, strict=True):
        tokens = TOKEN_RE.findall(lower(f"{r.get('title') or ''}\n{r['text']}"))
        posts.append(Post(Path(path).name, r, m, " ".join(tokens), " ".join(_lemma(t) for t in tokens)))
    ok = sum(p.scored and frozenset(p.match.formats) == p.gold_formats for p in posts)
    n = sum(p.scored for p in posts)
    assert (ok, n) == (report.formats_explicit_exact, report.formats_explicit_total), (path, ok, n)
    return posts


def _rule_features(posts: Sequence[Post]):  # type: ignore[no-untyped-def]
    """The matcher's formats and the kinds of its evidence, one column each (0/1)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = []
    for p in posts:
        kinds = {e.kind for e in p.match.evidence}
        rows.append([f in p.match.formats for f in FORMATS] + [k in kinds for k in EVIDENCE_KINDS])
    return csr_matrix(np.array(rows, dtype=float))


class FormatModel:
    """One logistic regression per format over word and lemma n-grams (optionally the rules' output)."""

    def __init__(self, with_rules: bool, chars: bool = False) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.with_rules = with_rules
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True,
                                     max_features=200_000) if chars else None
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+")
        self.lemmas = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+")
        self.models: dict[str, Any] = {}
        self.constant: dict[str, float] = {}

    def _x(self, posts: Sequence[Post], fit: bool):  # type: ignore[no-untyped-def]
        from scipy.sparse import hstack

        words = [p.words for p in posts]
        lem = [p.lemma_seq for p in posts]
        parts = [self.words.fit_transform(words) if fit else self.words.transform(words),
                 self.lemmas.fit_transform(lem) if fit else self.lemmas.transform(lem)]
        if self.chars is not None:
            parts.append(self.chars.fit_transform(words) if fit else self.chars.transform(words))
        if self.with_rules:
            parts.append(_rule_features(posts))
        return hstack(parts).tocsr()

    def fit(self, posts: Sequence[Post]) -> FormatModel:
        from sklearn.linear_model import LogisticRegression

        x = self._x(posts, fit=True)
        for f in FORMATS:
            y = [f in (p.gold_formats or ()) for p in posts]
            if all(y) or not any(y):  # a format never (or always) given in training: predict that
                self.constant[f] = float(any(y))
                continue
            self.models[f] = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000,
                                                solver="liblinear").fit(x, y)
        return self

    def proba(self, posts: Sequence[Post]) -> dict[str, list[float]]:
        x = self._x(posts, fit=False)
        out = {f: [c] * len(posts) for f, c in self.constant.items()}
        for f, m in self.models.items():
            out[f] = [float(v) for v in m.predict_proba(x)[:, 1]]
        return out


def _sets(proba: dict[str, list[float]], n: int) -> list[frozenset[str]]:
    return [frozenset(f for f in FORMATS if proba[f][i] >= 0.5) for i in range(n)]


def explore(train: Sequence[Post], test: Sequence[Post]) -> dict[str, list[frozenset[str]]]:
    """The post-hoc variants: more training posts (implicit ones too), character n-grams, the model
    deciding object_built alone; and «no format at all» as the floor any method has to beat."""
    explicit = [p for p in train if p.train_ready]
    both = [p for p in train if p.train_any]
    stacked = FormatModel(with_rules=True).fit(explicit).proba(test)
    return {
        "empty": [frozenset()] * len(test),
        "model_impl": _sets(FormatModel(with_rules=False).fit(both).proba(test), len(test)),
        "model_chars": _sets(FormatModel(with_rules=False, chars=True).fit(explicit).proba(test), len(test)),
        "stack_impl": _sets(FormatModel(with_rules=True).fit(both).proba(test), len(test)),
        "rules_ob": [(frozenset(p.match.formats) - {"object_built"}) | ({"object_built"} if stacked["object_built"][i] >= 0.5 else set())
                     for i, p in enumerate(test)],
    }


def predict(train: Sequence[Post], test: Sequence[Post]) -> dict[str, list[frozenset[str]]]:
    """Every mode's format sets for the test posts (`train`: the explicit posts with formats)."""
    text_only = FormatModel(with_rules=False).fit(train).proba(test)
    stacked = FormatModel(with_rules=True).fit(train).proba(test)
    out: dict[str, list[frozenset[str]]] = {m: [] for m in MODES}
    for i, p in enumerate(test):
        rules = frozenset(p.match.formats)
        out["rules"].append(rules)
        out["model"].append(frozenset(f for f in FORMATS if text_only[f][i] >= 0.5))
        out["stacked"].append(frozenset(f for f in FORMATS if stacked[f][i] >= 0.5))
        veto = {f for f in rules if stacked[f][i] >= VETO_BELOW} | {f for f in FORMATS if stacked[f][i] > ADD_ABOVE}
        out["veto"].append(frozenset(veto))
    return out


@dataclass(slots=True)
class Score:
    exact: int
    total: int
    per_format: dict[str, tuple[int, int, int]]  # tp, fp, fn

    @property
    def share(self) -> float:
        return self.exact / self.total if self.total else 1.0


def score(gold: Sequence[frozenset[str]], got: Sequence[frozenset[str]]) -> Score:
    per = {}
    for f in FORMATS:
        tp = sum(f in g and f in h for g, h in zip(gold, got, strict=True))
        fp = sum(f not in g and f in h for g, h in zip(gold, got, strict=True))
        fn = sum(f in g and f not in h for g, h in zip(gold, got, strict=True))
        per[f] = (tp, fp, fn)
    return Score(sum(g == h for g, h in zip(gold, got, strict=True)), len(gold), per)


def run_fold(name: str, train: Sequence[Post], test: Sequence[Post], modes: Sequence[str]) -> dict[str, Score]:
    train_posts = [p for p in train if p.train_ready]
    scored = [p for p in test if p.scored]
    predicted = predict(train_posts, scored)
    if len(modes) > len(MODES):
        predicted.update(explore(train, scored))
    gold = [p.gold_formats or frozenset() for p in scored]
    scores = {mode: score(gold, predicted[mode]) for mode in modes}
    print(f"\n== {name}: обучение на {len(train_posts)} явных постах, оценка на {len(scored)}")
    print("  " + "  ".join(f"{m} {s.share:.3f} ({s.exact}/{s.total})" for m, s in scores.items()))
    print("  формат          " + "  ".join(f"{m:>14}" for m in modes) + "   (P / R; gold n)")
    for f in FORMATS:
        n = sum(f in g for g in gold)
        cells = []
        for m in modes:
            tp, fp, fn = scores[m].per_format[f]
            p = f"{tp / (tp + fp):.2f}" if tp + fp else "  – "
            r = f"{tp / (tp + fn):.2f}" if tp + fn else "  – "
            cells.append(f"{p:>6} / {r:<5}")
        print(f"  {f:<15} " + "  ".join(cells) + f"   n={n}")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Форматы на явных постах: обученная модель против правил матчера.")
    parser.add_argument("--loso", nargs="+", metavar="FILE", help="По очереди оставить каждый файл для оценки, обучить на остальных.")
    parser.add_argument("--train", nargs="+", metavar="FILE", help="Файлы для обучения (вместе с --test).")
    parser.add_argument("--test", nargs="+", metavar="FILE", help="Файлы для оценки (вместе с --train).")
    parser.add_argument("--explore", action="store_true",
                        help="Добавить варианты, опробованные после первого прогона (без форматов, с неявными постами, "
                             "символьные n-граммы, модель решает только object_built).")
    args = parser.parse_args(argv)
    if bool(args.loso) == bool(args.train or args.test) or bool(args.train) != bool(args.test):
        parser.error("укажите либо --loso ФАЙЛ…, либо --train ФАЙЛ… вместе с --test ФАЙЛ…")
    if args.train and (both := sorted({str(Path(f).resolve()) for f in args.train} & {str(Path(f).resolve()) for f in args.test})):
        parser.error(f"файл и в --train, и в --test: {', '.join(both)}. Уберите его из одного из списков.")
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("Нужен scikit-learn: выполните `.venv/bin/pip install scikit-learn` и запустите снова.", file=sys.stderr)
        return 2
    started = time.monotonic()
    matcher = default_matcher()
    names = args.loso or [*args.train, *args.test]
    try:
        loaded = {name: load(name, matcher) for name in dict.fromkeys(names)}
    except InputError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    print(f"Матчер {MATCHER_VERSION} · файлов {len(loaded)} · "
          f"подготовка {time.monotonic() - started:.1f} с")
    modes = (*MODES, *EXPLORE) if args.explore else MODES
    folds: list[tuple[str, dict[str, Score]]] = []
    if args.loso:
        for held in loaded:
            train = [p for name, posts in loaded.items() if name != held for p in posts]
            folds.append((Path(held).name, run_fold(f"без {Path(held).name}", train, loaded[held], modes)))
    else:
        train = [p for name in dict.fromkeys(args.train) for p in loaded[name]]
        for name in dict.fromkeys(args.test):
            folds.append((Path(name).name, run_fold(Path(name).name, train, loaded[name], modes)))
    print("\nИтог (доля постов с точно совпавшими форматами):")
    print(f"  {'файл':<22}" + "".join(f"{m:>18}" for m in modes))
    for name, scores in folds:
        print(f"  {name:<22}" + "".join(f"{s.share:>8.3f} ({s.exact:>3}/{s.total:<3})" for s in scores.values()))
    if len(folds) > 1:
        means = [sum(s[m].share for _, s in folds) / len(folds) for m in modes]
        pooled = [(sum(s[m].exact for _, s in folds), sum(s[m].total for _, s in folds)) for m in modes]
        print(f"  {'среднее по файлам':<22}" + "".join(f"{v:>18.3f}" for v in means))
        print(f"  {'все посты вместе':<22}" + "".join(f"{a / b:>8.3f} ({a:>3}/{b:<3})" for a, b in pooled))
    print(f"\nВремя: {time.monotonic() - started:.1f} с")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
