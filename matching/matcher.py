"""The matcher: a post (title + text) → Match(label, projects, …, evidence)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from matching.document import Document
from matching.formats import find_campaign, find_formats
from matching.lexicon import Lexicon, load_lexicon
from matching.literals import Literals
from matching.dates import PublishedAt, publication_date
from matching.found import Found
from matching.mentions import find_mentions
from matching.programmes import Variants
from matching.normalize import normalize
from matching.patterns import compile_pattern
from matching.phrases import TOKEN_RE, PhraseIndex, make_alias, tokenize
from matching.prefilter import Prefilter
from matching.records import CampaignTerms, Evidence, Match

MATCHER_VERSION = "natmon-matcher/1.12"  # raise it when a decision may change; say what in matching/CHANGES.md
_FIELD_GAP = "\n\n"
_KIND_ORDER = {"title": 0, "text": 1}


class Matcher:
    """Loads the lexicon once (expensive); `match` is then pure and fast."""

    def __init__(self, lexicon_path: Path | None = None, today: date | None = None) -> None:
        """`today` fixes the date used for posts with no date of their own (tests, evaluations)."""
        self.lexicon: Lexicon = load_lexicon(lexicon_path)
        self._today = today
        lex = self.lexicon
        aliases = [make_alias(p.name, "project", a) for p in lex.projects for a in p.aliases]
        aliases += [make_alias(p.name, "programme", a) for p in lex.programmes for a in p.aliases]
        self._index = PhraseIndex(aliases)
        self._exact = [
            (p.name, p.kind, compile_pattern(rf"(?<![\w]){re.escape(a)}(?![\w])"))
            for p in lex.programmes
            for a in p.exact_aliases
        ]
        vocab = set(lex.hashtag_vocabulary)
        for a in aliases:
            vocab.update(TOKEN_RE.findall(a.text.lower().replace("ё", "е")))
        self._vocabulary = frozenset(vocab)
        self._variants = Variants(lex)
        self._literals = Literals(_text_patterns(lex), [c.triggers for c in lex.formats] + [self._variants.anchors])
        # its one pass also finds the literals and where words begin with a brand variant's letters
        self._prefilter = Prefilter(lex, self._literals.words, self._variants.anchors)
        # an exact alias occurs in a post only where its lower case does, which the prefilter's pass
        # reports (an anchor of its own), so most posts run none of the case-sensitive patterns
        self._exact_gates = [_exact_gate(a, self._prefilter.anchors) for p in lex.programmes for a in p.exact_aliases]
        self._none = Match("none", (), (), False, (), (), MATCHER_VERSION)

    def match(self, title: str, text: str, *, campaign: CampaignTerms | None = None,
              published: PublishedAt = None) -> Match:
        """Decide on one post. Deterministic for a given date; no I/O.

        `published` is the post's publication date (date, datetime or ISO string); without it
        the years the post mentions stand in for it, else today. Both are keywords: a date passed
        where the campaign goes would be ignored without a word.
        """
        title = title or ""
        text = text or ""
        original = f"{title}{_FIELD_GAP}{text}" if title else text
        relevant, scanned, variant_starts = self._prefilter.scan(original)
        if not relevant:
            return self._none
        norm = normalize(original, self._vocabulary)
        tokens = tokenize(norm)
        doc = Document(original, norm, tokens, self._index.find(norm.text, tokens),
                       publication_date(published), self._today, literals=self._literals)
        if norm.folded_only:  # the prefilter's pass saw the same letters at the same places: no second pass
            doc.use_literals_found(self._literals.present_from_scan(scanned, norm.text))
            if self._prefilter.reports_starts:
                doc.variant_starts = variant_starts
        exact = self._exact if "&" in original else [
            e for e, key in zip(self._exact, self._exact_gates, strict=True) if key is None or key in scanned]
        found = find_mentions(doc, self.lexicon, exact, self._variants)

        specific = _unique(f.target for f in found.projects)
        if specific or found.general:
            label = "explicit"
            if found.weak_programmes:  # a namesake organisation counts beside a national project
                found.programmes = sorted(found.programmes + found.weak_programmes, key=lambda f: f.start)
        elif found.programmes or found.topics:
            label = "implicit"
        else:
            label = "none"
        programmes = _unique(f.target for f in found.programmes)
        projects = specific or ((self.lexicon.general_label,) if found.general else ())

        evidence: list[Found] = list(found.projects) + list(found.programmes) + list(found.topics)
        # a general word with a name attached is already shown by the name's evidence
        evidence += [
            Found("hashtag" if g.in_hashtag else "general", self.lexicon.general_label, g.start, g.end)
            for g in found.general
            if g.bare
        ]
        evidence += found.false_friends
        formats: tuple[str, ...] = ()
        is_campaign = False
        if label != "none":
            fmt = find_formats(doc, self.lexicon)
            formats = tuple(f.target for f in fmt)
            evidence += fmt
            if label == "explicit":
                camp = find_campaign(doc, self.lexicon, found.general, fmt, campaign)
                if camp is not None:
                    is_campaign = True
                    evidence.append(camp)
        return Match(
            label=label,
            projects=projects,
            federal_projects=programmes,
            campaign=is_campaign,
            formats=formats,
            evidence=_evidence(evidence, doc, len(title) if title else -1),
            version=MATCHER_VERSION,
        )

    def match_many(self, posts: Iterable[tuple[str, str, PublishedAt]],
                   campaign: CampaignTerms | None = None) -> list[Match]:
        """Decide on many posts (title, text, publication date) at once: the same decisions as
        `match` post by post, in the same order. A post repeated in the batch with the same date (a
        school's news posted to its site, VK and Telegram alike) is decided once."""
        decided: dict[tuple[str, str, date | None], Match] = {}
        out: list[Match] = []
        for title, text, published in posts:
            day = publication_date(published)
            key = (title or "", text or "", day)
            decision = decided.get(key)
            if decision is None:
                decision = decided[key] = self.match(title, text, campaign=campaign, published=day)
            out.append(decision)
        return out


def _exact_gate(alias: str, anchors: frozenset[str]) -> str | None:
    """The literal the prefilter's pass must have found for a case-sensitive alias to occur (None:
    no such literal, as when lower-casing changes a letter's length or the pass folds the letter)."""
    key = alias.lower()
    if key not in anchors or len(key) != len(alias) or "ё" in key or "\u00a0" in key or "&" in key:
        return None
    return key


def _text_patterns(lex: Lexicon) -> list[object]:
    """The lexicon patterns searched over a whole post's normalised text, which a literal gate may skip."""
    out: list[object] = []
    for cues in lex.formats:
        out += cues.any
        out += [p for group in cues.sentence for p in group]
        out += [cue.first for cue in cues.near]
        out += cues.extra.values()
    out += lex.campaign_phrases
    out += [lex.campaign_near_general, lex.campaign_strong_period, lex.campaign_weak_period]
    out += [p for topic in lex.topics for p in topic.all_of]
    out += [cue.pattern for cue in lex.general]
    return out


def _unique(items) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(dict.fromkeys(items))


def _evidence(found: list[Found], doc: Document, title_len: int) -> tuple[Evidence, ...]:
    """Map spans back to the original title/text and sort them."""
    text_offset = title_len + len(_FIELD_GAP) if title_len >= 0 else 0
    out: dict[tuple[str, int, int, str, str], Evidence] = {}
    for f in found:
        start, end = (f.start, f.end) if f.in_original else doc.norm.to_original(f.start, f.end)
        phrase = doc.original[start:end]
        if title_len >= 0 and start < title_len:
            field, s, e = "title", start, min(end, title_len)
        else:
            field, s, e = "text", start - text_offset, end - text_offset
        ev = Evidence(phrase=phrase, start=s, end=e, field=field, kind=f.kind, target=f.target)
        out.setdefault((field, s, e, f.kind, f.target), ev)
    return tuple(sorted(out.values(), key=lambda ev: (_KIND_ORDER[ev.field], ev.start, ev.end, ev.kind, ev.target)))


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """The matcher over the built-in lexicon, created once."""
    return Matcher()
