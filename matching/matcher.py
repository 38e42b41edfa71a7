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

MATCHER_VERSION = "natmon-matcher/1.12"  # 1.12: labels on the two newest real sets by kinds checked leave-one-set-out over nine real sets (implicit: the primary health-care federal project by its name in any case, the school modernisation programme «по модернизации школ», school buildings of a federal target programme, a federal project named after «проекта по», the federal share of a repair's sum told in a later paragraph, nurseries by «от 2 до 3 лет», «от года», early-age groups, new groups and «детсад»; explicit: a project name whose quote never closes, the general word before the repair programme's quoted name, the Tatar and Bashkir «милли проект», the roads project with «автодороги»; explicit precision: another country's head of state marks a foreign project, the priority project's 100-thousand teacher prize and its contest of innovative schools anywhere in the post; formats: future openings and starts, works done by a share or in part, a hope, a completion still due or last touches left are no object built, people who found a job, began retraining or became graduates are people helped, participants told object-first and expected counts are none, a pupil's Grand Prix is a success story, a neglected place improved is before/after); 1.11: explicit precision and formats that generalise leave-one-set-out over seven real sets (labels: the priority project's contest of schools with innovative programmes and the best teachers' prize mark the 2006–2018 project, an undated post whose sentence dates its action before 2019 is the priority project, the words talked about are no project, Russian places named like a foreign country or city keep the project; formats: a virtual concert hall is no object built, works at their final stage and plans «станут/ждёт» are none, an opening as a noun and a hyphenated stage are built, neuter counts with arrival verbs, programme classes and Pushkin card users are people helped, a surname read as a name and a person named who came or moved to work under a programme are success stories, a town as a source is none, a line inviting to watch is a video); 1.10: formats by the consolidated guide of the real posts, rules kept leave-one-set-out over six real sets (people helped: the pupils who attend an existing or repaired school are none, a new building or group, a programme or classes still count; participants of a contest, lesson, campaign or movement and joining its ranks are none; open days, career events and master classes are training; card holders and filled vacancies count; region changed: places counted after «преобразились» are object built only, a future «преобразятся» is a plan); 1.9: rules kept only when they generalise leave-one-set-out over six real sets (formats: a building's history and routine upkeep are no object built, spaces opened and places transformed are; a winner from a town is a success story; an issue of a TV programme is a video; care given to a count of children is people helped; labels: school works paid by the federal government or ministry, federal money named first and the repair in the next sentence, nurseries by capacity or groups that appear, «Орлята» of the camp «Орлёнок» are not the programme (its tracks «Орлёнок-…» are), a number with a unit is no year); 1.8: rules kept only when they generalise leave-one-set-out (Latin look-alike letters in Cyrillic words read once, in normalize; a slogan inside a project's quotes; object built by vowel-dropping plurals, «создали», «открыв», «начала работать», «появились» before a building, model libraries as centres, roads brought to the standard; a school repair by a federal list or with federal money named in the next sentence of its paragraph); 1.7: rules that generalise across every real set (formats: people counted in words or past a month name, participants named before the count, no capacity; «возвели», improved territories, «откроет» a plan, no cluster as a building; a results tally is region_changed only with objects and people both; a TV correspondent, a signed report, clips on air as video; «раньше … теперь» across sentences; labels: nurseries created as a task, a kindergarten «рассчитан на» or named before its building verb, a school built «по поручению президента» or with federal money named in the next sentence, a state programme refuses a topic only in its paragraph or beside a school); 1.6: kinds from the second fresh real set (formats: an opening ahead or works just begun are not built, finished modernisation is, before/after told in words, qualification courses as help, a place transformed, a pupil named beside their role with a win as a success story; labels: «президентского проекта «…»», repair by a federal project or the President's initiative, a nursery group that «открывается», nominations and party projects with a federal project's name); 1.5: kinds from the first fresh real set (formats of works under way, help and own stories; a new kindergarten only with an age under three; project lists after a colon or as quoted runs; Orlyata from 2021; state programmes of patriotic education; Medvedev/Fursenko years; a million for a village teacher); 1.4: more kinds from real posts (lists and headings of projects, «федеральная программа «Семья»», one-letter typos, nurseries by months, «ТОЧКА РОСТА», no topic for a school built with no programme, flats' repair programme, formats); 1.3: literal gates (same decisions, faster); 1.2: publication dates, kinds from real posts (1.1: typos, «в рамках» …)
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
        out += [p for _, p in cues.extra]
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
