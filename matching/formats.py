"""Formats of a post and the campaign decision."""

from __future__ import annotations

import re
from functools import lru_cache

from matching.document import Document
from matching.lexicon import FormatCues, Lexicon
from matching.morphology import best_tag, may_be_first_name, may_be_surname
from matching.found import Found, General
from matching.normalize import fold
from matching.phrases import TOKEN_RE
from matching.records import FORMATS, CampaignTerms

_NEXT_WORD_RE = re.compile(r"[\s\-,]*([^\W\d_]+)")
_OFFICIAL_REACH = 150  # characters before the speech's sentence where an official's title is looked for
_TITLE_TO_NAME = 60  # characters from an official's title to the name it introduces
_ATTRIBUTION_RE = re.compile(r"(?<![\w])(об\s+этом|как)\s+$")
_AFTER_EXTRA = 2  # after the verb a building word may stand further («открылась третья в этом году библиотека»)
# «Анна Петрова из Братска»: a first name, a surname and a home town (capitals checked on the original)
_PERSON_FROM_RE = re.compile(r"(?<![\w])([^\W\d_]{2,})\s+([^\W\d_]{2,})\s+из\s+([^\W\d_]{2,})")
_NAME_REACH = 60  # characters either side of « из » where a first name, a surname and a town are looked for
_RUBRIC_RE = re.compile(r"было|до\s+и\s+после")  # the «Было — стало» / «до и после» rubric
_CAPITAL_PAIR_RE = re.compile(r"[А-ЯЁ][а-яё]++[ \u00a0]+[А-ЯЁ]")  # two capitalised words in a row
_ROLE_BEFORE_NAME = 120  # characters from a pupil's role word on to the name it introduces
_MOVER_REACH = 160  # characters before a verb of moving to work where the person's name is looked for
_ROLE_AFTER_NAME = 40  # characters from a name on to its role word («Анна Петрова, ученица …»)
_ROLE_AFTER_RE = re.compile(r"\s*[,(]\s*(\w+\s+)?\w*")  # «Анна Петрова, ученица», «Анна Петрова (ученица», «, лучшая ученица»
# one of these is in every match of object_built's `under_way_post` («этап», «стадии», «подходит», «завершается»,
# «завершают», «завершить … должны», «остались»): a plain look-up spares the pattern's search in most posts
_UNDER_WAY_WORDS = ("этап", "стади", "подход", "заверша", "завершить", "закончить", "остал")
_TALLY_KINDS = frozenset({"object_built", "people_helped"})
_RESULT_FORMATS = frozenset({"object_built", "people_helped", "region_changed", "before_after"})


def find_formats(doc: Document, lex: Lexicon) -> list[Found]:
    """One piece of evidence per format found, in the canonical order of FORMATS."""
    found: dict[str, Found] = {}
    for cues in lex.formats:
        hit = None
        if not cues.triggers or doc.contains_any(cues.triggers):
            hit = _any(doc, cues) or _in_sentence(doc, cues) or _near(doc, cues)
            if hit is None and cues.name == "success_story":
                hit = _speech(doc, cues) or _person_from_town(doc, cues)
        if hit is None and cues.name == "success_story":
            hit = _named_pupil(doc, cues) or _person_from_town(doc, cues, "person_feat") or _named_mover(doc, cues)
        if hit is None and cues.name == "video" and "\nсмотр" in doc.text:
            hit = _watch_line(doc, cues)
        if hit is not None and cues.name == "object_built" and _under_way(doc, cues):
            hit = None
        if hit is not None:
            found[cues.name] = hit
    region = next((c for c in lex.formats if c.name == "region_changed"), None)
    # a results tally for a place over the projects' years is a changed region only when it counts results of
    # two kinds, objects built and people helped; objects alone are a list of objects (the real-post guide)
    if region is not None and "region_changed" not in found and _TALLY_KINDS <= found.keys():
        extra = dict(region.extra)
        period, place = extra.get("tally_period"), extra.get("tally_place")
        if period is not None and place is not None and doc.may_match(period) and doc.may_match(place):
            m = period.search(doc.text)
            if m and place.search(doc.text):
                found["region_changed"] = Found("format", "region_changed", m.start(), m.end())
    return [found[f] for f in FORMATS if f in found]


def _watch_line(doc: Document, cues: FormatCues) -> Found | None:
    """A line that invites to watch: «Смотрите до конца!» (V1)."""
    pattern = cues.extra.get("watch_line")
    m = pattern.search(doc.text) if pattern is not None else None
    return Found("format", cues.name, m.start(), m.end()) if m else None


def _under_way(doc: Document, cues: FormatCues) -> bool:
    """The post says its works are at their final stage or being finished: what is done so far is under way (O2)."""
    text = doc.text
    if not any(w in text for w in _UNDER_WAY_WORDS):
        return False
    pattern = cues.extra.get("under_way_post")
    return pattern is not None and pattern.search(text) is not None


def _any(doc: Document, cues: FormatCues) -> Found | None:
    """The first match of an `any` pattern outside a sentence of plans (`exclude`)."""
    text = doc.text
    for pattern in cues.any:
        if not doc.may_match(pattern):
            continue
        for m in pattern.finditer(text):
            if cues.exclude is not None:
                a, b = doc.sentence_span(m.start())
                if cues.exclude.search(text, a, b):
                    continue
            return Found("format", cues.name, m.start(), m.end())
    return None


def _in_sentence(doc: Document, cues: FormatCues) -> Found | None:
    for group in cues.sentence:
        if all(doc.may_match(p) for p in group) and (hit := _group_in_sentence(doc, cues, group)):
            return hit
    return _count_in_words(doc, cues) or (_card_users(doc, cues) if cues.name == "people_helped" else None)


def _card_users(doc: Document, cues: FormatCues) -> Found | None:
    """A count of people who went, watched or bought by a card, in the card's sentence or the next one: «по
    Пушкинской карте спектакли посетили 900 школьников» (H1: they got a ticket; the show is no audience event)."""
    if "пушкинск" not in doc.text:
        return None  # the card's own letters, looked up plainly (most posts lack them)
    extra = cues.extra
    card, verbs, plans = extra.get("card"), extra.get("card_verbs"), extra.get("card_plans")
    if card is None or verbs is None or not cues.sentence or not doc.may_match(card) or not doc.may_match(verbs):
        return None
    counts, text = [cues.sentence[0][0]], doc.text
    if (in_words := extra.get("count_in_words")) is not None:
        counts.append(in_words)  # «свыше четырёх тысяч школьников»
    for m in card.finditer(text):
        a, b = doc.sentence_span(m.start())
        spans = [(a, b)]
        if b + 1 < len(text):
            spans.append(doc.sentence_span(b + 1))
        for s, e in spans:
            verb = verbs.search(text, s, e)
            if verb and any(c.search(text, s, e) for c in counts) and (plans is None or not plans.search(text, s, e)):
                return Found("format", cues.name, verb.start(), verb.end())
    return None


def _group_in_sentence(doc: Document, cues: FormatCues, group: tuple[re.Pattern[str], ...]) -> Found | None:
    """Every pattern of the group within one sentence that `exclude` does not match."""
    text = doc.text
    for first in group[0].finditer(text):
        a, b = doc.sentence_span(first.start())
        if cues.exclude is not None and cues.exclude.search(text, a, b):
            continue
        if all(p.search(text, a, b) for p in group[1:]):
            return Found("format", cues.name, first.start(), first.end())
    return None


def _count_in_words(doc: Document, cues: FormatCues) -> Found | None:
    """A count written in words («восемь педагогов прошли курсы») with the first sentence group's other
    patterns, looked for only when a numeral of `count_words` is one of the post's words."""
    extra = cues.extra
    words, count = extra.get("count_words"), extra.get("count_in_words")
    if words is None or count is None or not cues.sentence or _word_set(words).isdisjoint(doc.tokens.words):
        return None
    return _group_in_sentence(doc, cues, (count, *cues.sentence[0][1:]))


@lru_cache(maxsize=16)
def _word_set(pattern: re.Pattern[str]) -> frozenset[str]:
    """The words of a plain alternation («два|двух|три»)."""
    return frozenset(pattern.pattern.split("|"))


def _near(doc: Document, cues: FormatCues) -> Found | None:
    text = doc.text
    for cue in cues.near:
        if not doc.may_match(cue.first):
            continue
        for m in cue.first.finditer(text):
            a, b = doc.sentence_span(m.start())
            if cues.exclude is not None and cues.exclude.search(text, a, b):
                continue
            tokens = doc.tokens  # the sentence's words, numbers left out, from the tokens already made
            lo, hi = doc.first_token_from(a), doc.last_token_until(b) + 1
            words = [(pos, w) for pos, w in zip(tokens.starts[lo:hi], tokens.words[lo:hi]) if not w.isdigit()]
            i = next((k for k, (pos, _) in enumerate(words) if pos >= m.start()), len(words))
            j = i + len(TOKEN_RE.findall(m.group()))
            if any(cue.second.match(w) for _, w in words[j:j + cue.window + _AFTER_EXTRA]) or any(
                cue.second.match(w) and (k == 0 or words[k - 1][1] not in cue.blocked)
                for k, (_, w) in enumerate(words[max(0, i - cue.window):i], start=max(0, i - cue.window))
            ):
                return Found("format", cues.name, m.start(), m.end())
    return None


def _speech(doc: Document, cues: FormatCues) -> Found | None:
    """A speech verb followed by a capitalised first name: «— говорит Полина»."""
    extra = cues.extra
    verbs, officials = extra.get("speech_verbs"), extra.get("officials")
    if verbs is None or not doc.may_match(verbs):
        return None
    for m in verbs.finditer(doc.text):
        nxt = _NEXT_WORD_RE.match(doc.text, m.end())
        if nxt and doc.is_upper_at(nxt.start(1)):
            if _ATTRIBUTION_RE.search(doc.text, max(0, m.start() - 12), m.start()):
                continue  # «Об этом рассказал …»: the source of a news item
            if officials is not None and _is_official(doc, officials, nxt.group(1), m.start()):
                continue  # «— сказала министр …»: an official's words are news, not a story
            if _surname_alone(nxt.group(1)) or _place_name(nxt.group(1)):
                continue  # «— отметил Петров»: a news source named by the surname alone, or by its town («говорит Смоленск»)
            return Found("format", cues.name, m.start(), nxt.end(1))
    return None


def _named_pupil(doc: Document, cues: FormatCues) -> Found | None:
    """A pupil or student named by first name and surname beside a word of their role, in a sentence
    of their win, prize or dream: «ученица 9 класса школы № 4 Анна Петрова стала призёром», «Анна
    Петрова, студентка колледжа, выиграла грант» (the post tells of them). A first name with a
    patronymic (an adult addressed formally) or an official does not count."""
    extra = cues.extra
    roles, feat, officials = extra.get("pupil_roles"), extra.get("pupil_feat"), extra.get("officials")
    if roles is None or feat is None or not doc.may_match(roles) or not doc.may_match(feat):
        return None
    if not _CAPITAL_PAIR_RE.search(doc.original):
        return None  # no two capitalised words in a row anywhere: no first name and surname
    text, tokens = doc.text, doc.tokens
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    for m in roles.finditer(text):
        a, b = doc.sentence_span(m.start())
        if not feat.search(text, a, b):
            continue
        lo, hi = max(a, m.start() - _ROLE_AFTER_NAME), min(b, m.end() + _ROLE_BEFORE_NAME)
        for k in range(doc.first_token_from(lo), doc.last_token_until(hi)):
            start, end = starts[k], ends[k + 1]
            if start < m.end() and end > m.start():
                continue  # the role word is one of the two
            if not _capital_pair_at(doc, k):
                continue
            first, second = words[k], words[k + 1]
            if len(first) < 2 or len(second) < 2 or not (first.isalpha() and second.isalpha()):
                continue
            # the role word right after the name and a comma or a bracket, or before it with no comma between
            if end <= m.start() and not _ROLE_AFTER_RE.fullmatch(text, end, m.start()):
                continue
            if start >= m.end() and "," in text[m.end():start]:
                continue
            next_tag = best_tag(second)
            # the person is the subject (a first name in the nominative), named by a first name and a surname
            # (a second word that may be a surname is one, though pymorphy3 reads it first as a rare first name)
            if not may_be_first_name(first) or ("Name" in next_tag and not may_be_surname(second)) or "Patr" in next_tag:
                continue
            if officials is not None and _is_official(doc, officials, first, start):
                continue
            return Found("format", cues.name, min(m.start(), start), max(m.end(), end))
    return None


def _capital_pair_at(doc: Document, k: int) -> bool:
    """Words k and k + 1 stand in a row, only spaces between, each capitalised in the original («Анна Петрова»)."""
    starts, ends = doc.tokens.starts, doc.tokens.ends
    return doc.is_upper_at(starts[k]) and doc.is_upper_at(starts[k + 1]) and doc.text[ends[k]:starts[k + 1]].isspace()


def _named_mover(doc: Document, cues: FormatCues) -> Found | None:
    """A person named by first name and surname before a verb of coming or moving to work, in a sentence that
    names the programme or the work: «учитель Мария Ильина переехала в село по программе …» (S1)."""
    text = doc.text
    if "переехал" not in text and "приехал" not in text and ("начал" not in text or (
            "работать" not in text and "преподавать" not in text)):
        return None  # the verbs' own words, looked up plainly: «начал» alone is in too many posts
    extra = cues.extra
    verbs, context, officials = extra.get("mover_verbs"), extra.get("mover_context"), extra.get("officials")
    if verbs is None or context is None or not _CAPITAL_PAIR_RE.search(doc.original):
        return None
    words, starts = doc.tokens.words, doc.tokens.starts
    for m in verbs.finditer(text):
        a, b = doc.sentence_span(m.start())
        if not context.search(text, a, b):
            continue
        for k in range(doc.first_token_from(max(a, m.start() - _MOVER_REACH)), doc.first_token_from(m.start()) - 1):
            if not _capital_pair_at(doc, k):
                continue
            first, second = words[k], words[k + 1]
            if not (first.isalpha() and second.isalpha()) or not may_be_first_name(first):
                continue
            tag = best_tag(second)
            if "Patr" in tag:  # «Дмитрий Олегович Резников»: the surname follows
                if k + 2 >= len(words) or starts[k + 2] >= m.start() or not doc.is_upper_at(starts[k + 2]):
                    continue
            elif "Name" in tag and not may_be_surname(second):
                continue
            if officials is not None and _is_official(doc, officials, first, starts[k]):
                continue
            return Found("format", cues.name, starts[k], m.end())
    return None


def _surname_alone(word: str) -> bool:
    """The word is likeliest a surname, not a first name (pymorphy3's Surn tag on its best parse)."""
    return "Surn" in best_tag(word.lower())


def _place_name(word: str) -> bool:
    """The word is likeliest a place (pymorphy3's Geox tag on its best parse)."""
    return "Geox" in best_tag(word.lower())


def _person_from_town(doc: Document, cues: FormatCues, verbs_key: str = "speech_verbs") -> Found | None:
    """A person named with a home town who speaks later in the sentence: «Анна Петрова из Братска,
    выигравшая грант, говорит …» (a private person introduced by where they live); with `person_feat`,
    one who won or was awarded: «Анна Петрова из Братска стала призёром»."""
    extra = cues.extra
    verbs, officials = extra.get(verbs_key), extra.get("officials")
    text = doc.text
    i = text.find(" из ")
    if verbs is None or i < 0 or not doc.may_match(verbs):
        return None
    last = -1
    while i >= 0:  # the pattern is tried only around each « из » (a scan of the whole post costs more)
        m = _PERSON_FROM_RE.search(text, max(0, last + 1, i - _NAME_REACH), i + _NAME_REACH)
        i = text.find(" из ", i + 1)
        if m is None:
            continue
        last = m.start()
        if not all(doc.is_upper_at(m.start(g)) for g in (1, 2, 3)):
            continue
        _, b = doc.sentence_span(m.start())
        said = verbs.search(doc.text, m.end(), b)
        if said is None or (officials is not None and _is_official(doc, officials, m.group(1), m.start())):
            continue
        return Found("format", cues.name, m.start(), said.end())
    return None


def _is_official(doc: Document, officials: re.Pattern[str], name: str, pos: int) -> bool:
    """The speaker's title is an official's, near the speech or before the name anywhere in the post."""
    a, b = doc.sentence_span(pos)
    if officials.search(doc.text, max(0, a - _OFFICIAL_REACH), b):
        return True
    for m in officials.finditer(doc.text):
        if name in doc.text[m.end():m.end() + _TITLE_TO_NAME]:
            return True
    return False


def find_campaign(
    doc: Document, lex: Lexicon, general: list[General], formats: list[Found], terms: CampaignTerms | None
) -> Found | None:
    """Evidence that an explicit post refers to the campaign or to results of national projects."""
    text = doc.text
    wanted = set(lex.campaign_hashtags) | (_hashtags(terms.hashtags) if terms else set())
    for s, e, body in doc.norm.hashtags:
        if body.replace("_", "") in wanted:
            return Found("campaign", "#" + body, s, e)
    patterns = list(lex.campaign_phrases) + (list(_phrase_patterns(terms.phrases)) if terms else [])
    for pattern in patterns:
        if not doc.may_match(pattern):
            continue
        m = pattern.search(text)
        if m:
            return Found("campaign", "название кампании или итоги нацпроектов", m.start(), m.end())
    for g in general:
        if not doc.may_match(lex.campaign_near_general):
            break
        a, b = doc.sentence_span(g.start)
        for m in lex.campaign_near_general.finditer(text, a, b):
            t = doc.first_token_from(m.start())
            if min(abs(t - g.last), abs(g.first - t)) <= lex.campaign_near_window:
                return Found("campaign", "итоги нацпроектов", m.start(), m.end())
    m = lex.campaign_strong_period.search(text) if doc.may_match(lex.campaign_strong_period) else None
    if m:
        return Found("campaign", "период результатов нацпроектов", m.start(), m.end())
    kinds = {f.target for f in formats}
    m = lex.campaign_weak_period.search(text) if kinds & _RESULT_FORMATS and doc.may_match(lex.campaign_weak_period) else None
    if m:
        return Found("campaign", "период результатов нацпроектов", m.start(), m.end())
    ba = next((f for f in formats if f.target == "before_after"), None)
    if ba is not None and _RUBRIC_RE.search(text, ba.start, ba.end):  # the rubric, not a before told in words
        return Found("campaign", "рубрика «Было — стало»", ba.start, ba.end)
    return None


def _hashtags(raw: tuple[str, ...]) -> set[str]:
    return {fold(h).lstrip("#").replace("_", "") for h in raw}


@lru_cache(maxsize=256)
def _phrase_patterns(phrases: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Inflection-tolerant patterns for the caller's campaign phrases."""
    return tuple(p for p in (stem_pattern(ph) for ph in phrases) if p is not None)


def stem_pattern(phrase: str) -> re.Pattern[str] | None:
    source = stem_regex(phrase)
    return re.compile(source) if source else None


def stem_regex(phrase: str) -> str:
    """A regex for a phrase whose words may take any ending (normalised text)."""
    words = TOKEN_RE.findall(fold(phrase))
    parts = []
    for w in words:
        if len(w) <= 3:
            parts.append(re.escape(w) + r"\w{0,3}")
        else:
            parts.append(re.escape(w[: max(3, len(w) - 3)]) + r"\w{0,5}")
    return r"[\W_]{0,3}".join(parts)
