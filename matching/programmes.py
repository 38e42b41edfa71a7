"""Federal projects, programmes and brands (by name, spelling variant or abbreviation) and topics."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

import ahocorasick

from matching.dates import PROGRAMMES_FROM_YEAR
from matching.document import Document
from matching.found import Found, Mentions
from matching.lexicon import Lexicon, Programme, lookups
from matching.patterns import literal_start
from matching.phrases import Hit, Tokens

_WORD_START = "(?<![\\w])"
_LONG_FORM_RE = re.compile(r"\s*-")
_LONG_NAME_WORDS = 4  # a full official name this long is unambiguous
_FEDERAL_PROJECT_BEFORE_RE = re.compile(r'(?<![\w])(федеральн\w*\s+проект\w*|федпроект\w*)\s*"?\s*$')
# A federal project's quoted name in a sentence about a contest's nominations is a nomination
# («номинации «Многодетная семья», «Молодая семья»»), and in a sentence naming a party's project, the
# party's namesake («партия реализует проект «Старшее поколение»») unless called federal right before it.
_NOMINATION_RE = re.compile(r"(?<![\w])номинаци\w*")
_PARTY_RE = re.compile(r"(?<![\w])(единая\s+россия|единой\s+росси\w*|партпроект\w*|партийн\w*\s+проект\w*|(проект|программ)\w*\s+(\w+\s+)?партии)")
# a school, kindergarten or college named in a sentence: a programme there pays for the topic's object
_EDUCATION_RE = re.compile(r"(?<![\w])(школ|детск\w*\s+сад|сад(а|у|ом|ов|ах)?(?![\w])|ясл|ясел|гимнази|лице[йяюе]|колледж|техникум|учебн|образовательн|дошкольн)")
_VARIANT_CACHE = 200_000  # words remembered with the variant patterns they may begin


def find_topics(doc: Document, lex: Lexicon, out: Mentions) -> None:
    """Topics that are federal-project objects themselves (new kindergartens, nursery places …)."""
    for topic in lex.topics:
        if not topic.may_match(doc.text) or not all(doc.may_match(p) for p in topic.all_of):
            continue
        first = doc.search(topic.all_of[0])
        if first and all(doc.search(p) for p in topic.all_of[1:]):
            if (year := doc.reference_year()) < PROGRAMMES_FROM_YEAR:
                out.false_friends.append(Found("false_friend", f"«{topic.name}» — пост {year} года, до нацпроектов",
                                               first.start(), first.end()))
                continue
            if topic.never is not None and (m := _refusing(doc, lex, topic.never, first.start(), federal_outweighs=False)):
                out.false_friends.append(Found("false_friend", f"не «{topic.name}»: {m.group()}", m.start(), m.end()))
                continue
            if topic.unless is not None and (m := _refusing(doc, lex, topic.unless, first.start(), federal_outweighs=True)):
                out.false_friends.append(Found("false_friend", f"не «{topic.name}»: {m.group()}", m.start(), m.end()))
                continue
            out.topics.append(Found("topic", topic.name, first.start(), first.end()))


def _refusing(doc: Document, lex: Lexicon, pattern: re.Pattern[str], topic_at: int,
              federal_outweighs: bool) -> re.Match[str] | None:
    """The first match of a topic's `unless` or `never` that speaks of the topic's object: in the topic's
    paragraph, or in a sentence naming a school, kindergarten or college; another country or a party
    anywhere in the post. A state programme named in another paragraph for something else (a family's
    house, a new district) refuses nothing. With
    `federal_outweighs`, a match whose sentence names federal money does not count either («за счёт
    федерального, областного и местного бюджетов»)."""
    text = doc.text
    line_end = text.find("\n", topic_at)
    p_start, p_end = text.rfind("\n", 0, topic_at) + 1, len(text) if line_end < 0 else line_end
    for m in pattern.finditer(text):
        a, b = doc.sentence_span(m.start())
        if federal_outweighs and "федеральн" in text[a:b]:
            continue
        if (p_start <= m.start() < p_end or _EDUCATION_RE.search(text, a, b)
                or lex.foreign_cues.match(text, m.start()) or _PARTY_RE.match(text, m.start())):
            return m
    return None


def find_programmes(doc: Document, lex: Lexicon, out: Mentions) -> None:
    by_name = lookups(lex).programmes
    text = doc.text
    for h in doc.hits:
        if h.alias.kind != "programme":
            continue
        p = by_name[h.alias.owner]
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        before = text[max(0, s - 60):s]
        if lex.state_programme_context.search(before) or lex.state_programme_after.match(text, e):
            out.false_friends.append(Found("false_friend", "государственная или муниципальная программа", s, e))
            continue
        if not _in_time_and_place(doc, p, s, e, out):
            continue
        kind = "hashtag" if doc.tokens.tags[h.first] >= 0 else p.kind
        if p.mode == "brand" or _name_counts(doc, lex, p, h, s, e, before):
            if p.weak_context_before is not None and p.weak_context_before.search(before):
                out.weak_programmes.append(Found(kind, p.name, s, e))
            else:
                add_programme(out, p, kind, s, e)


def add_programme(out: Mentions, p: Programme, kind: str, s: int, e: int) -> None:
    if p.recorded:
        out.programmes.append(Found(kind, p.name, s, e))
    else:
        out.topics.append(Found("topic", p.name, s, e))


def _in_time_and_place(doc: Document, p: Programme, s: int, e: int, out: Mentions) -> bool:
    """The programme existed as part of a national project when the post was written, and the
    sentence is not about something else of the same name (a block of flats' capital repair).
    Either refusal is listed as evidence."""
    since = p.requires_year_from or PROGRAMMES_FROM_YEAR
    # «федеральный проект «…»» dates an undated text itself: federal projects began in 2019 (a
    # programme that joined later, as the Pushkin card in 2025, still needs its year)
    called_federal = doc.published is None and since <= PROGRAMMES_FROM_YEAR and \
        _FEDERAL_PROJECT_BEFORE_RE.search(doc.text, max(0, s - 30), s) is not None
    if not called_federal and (year := doc.reference_year()) < since:
        out.false_friends.append(Found("false_friend", f"«{p.name}» в нацпроекте с {since} года, пост — {year} года", s, e))
        return False
    if p.exclude_sentence is not None:
        a, b = doc.sentence_span(s)
        m = p.exclude_sentence.search(doc.text, a, b)
        if m and "федеральн" not in doc.text[a:b]:  # federal money in the sentence outweighs a regional one
            out.false_friends.append(Found("false_friend", f"не «{p.name}»: {m.group()}", m.start(), m.end()))
            return False
    if p.kind == "federal_project" and doc.exactly_quoted(s, e):
        a, b = doc.sentence_span(s)
        m = _NOMINATION_RE.search(doc.text, a, b)
        if m is None and _FEDERAL_PROJECT_BEFORE_RE.search(doc.text, max(0, s - 30), s) is None:
            m = _PARTY_RE.search(doc.text, a, b)
        if m is not None:
            out.false_friends.append(Found("false_friend", f"не «{p.name}»: {m.group()}", m.start(), m.end()))
            return False
    if p.requires_post is not None and p.requires_post.search(doc.text) is None:
        out.false_friends.append(Found("false_friend", f"не «{p.name}»: пост не о том, для чего эта программа", s, e))
        return False
    return True


class Variants:
    """Brands' spelling-variant patterns, looked up by the words of a post: each pattern begins
    with literal letters, so it is tried only where a word begins with them (the word's
    candidates are remembered, as most words start none)."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self._items: list[tuple[str, re.Pattern[str], Programme]] = []
        for p in lex.programmes if lex is not None else ():
            for pattern in p.patterns:
                self._items.append((literal_start(pattern.pattern.removeprefix(_WORD_START)), pattern, p))
        self._firsts = frozenset(anchor[:1] for anchor, _, _ in self._items)
        # Where the patterns' first letters begin a word, found in one Aho-Corasick pass: only the
        # words there are looked at (None when some pattern begins with no literal letters).
        anchors = sorted({anchor for anchor, _, _ in self._items})
        self.anchors = tuple(anchors)  # a post with none of them has no variant (asked of the literal gate)
        self._automaton: ahocorasick.Automaton | None = None
        if anchors and all(anchors):
            self._automaton = ahocorasick.Automaton()
            for anchor in anchors:
                self._automaton.add_word(anchor, len(anchor))
            self._automaton.make_automaton()
        self.known: dict[str, tuple[tuple[re.Pattern[str], Programme], ...]] = {}

    def words_at(self, tokens: Tokens, text: str, starts: list[int] | None = None) -> Iterable[int]:
        """Indexes of the words that may begin a variant, in order (all words when unsure).

        `starts` are the positions where a word begins with an anchor, when an earlier pass over
        the same letters found them (the prefilter's): then the text is not scanned again."""
        if not self._items:
            return ()
        if self._automaton is None:
            return range(len(tokens))
        if starts is not None:
            return [bisect_left(tokens.starts, pos) for pos in starts]
        found: set[int] = set()
        for end, size in self._automaton.iter(text):
            start = end - size + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # inside a word: no word begins here
            found.add(start)
        return [bisect_left(tokens.starts, pos) for pos in sorted(found)]

    def at(self, word: str) -> tuple[tuple[re.Pattern[str], Programme], ...]:
        """The patterns a word may begin (computed once per word)."""
        found = self.known.get(word)
        if found is None:
            found = tuple((pattern, p) for anchor, pattern, p in self._items if word.startswith(anchor)) \
                if word[:1] in self._firsts else ()
            if len(self.known) >= _VARIANT_CACHE:
                self.known.clear()
            self.known[word] = found
        return found


def find_variants(doc: Document, variants: Variants, out: Mentions) -> None:
    """Spelling variants of brands (IT-cube, кванториумцы, орлятский), found by pattern."""
    if not doc.contains_any(variants.anchors):  # answered by the literal pass the post already had
        return
    text = doc.text
    taken: set[tuple[int, str]] | None = None
    starts = doc.tokens.starts
    words = doc.tokens.words
    known = variants.known  # a plain dict look-up per word
    for i in variants.words_at(doc.tokens, text, doc.variant_starts):
        word = words[i]
        candidates = known.get(word)
        if candidates is None:
            candidates = variants.at(word)
        if not candidates:
            continue
        if taken is None:
            taken = {(f.start, f.target) for f in out.programmes} | {(f.start, f.target) for f in out.topics}
        for pattern, p in candidates:
            m = pattern.match(text, starts[i])
            if m is None or (m.start(), p.name) in taken or not _in_time_and_place(doc, p, m.start(), m.end(), out):
                continue
            kind = "hashtag" if doc.tokens.tags[i] >= 0 else p.kind
            add_programme(out, p, kind, m.start(), m.end())
            taken.add((m.start(), p.name))


def _name_counts(doc: Document, lex: Lexicon, p: Programme, h: Hit, s: int, e: int, before: str) -> bool:
    if before.endswith('"') and not doc.closes_quote(e) and not _LONG_FORM_RE.match(doc.text, e):
        return False  # only the start of a longer quoted name («Мы вместе. Дети»), not its long form after a dash
    if len(h.alias.sets) >= _LONG_NAME_WORDS or lex.programme_context.search(before):
        return True
    if p.context_before is not None and p.context_before.search(before):
        return True
    if doc.tokens.tags[h.first] >= 0:
        return p.hashtag
    if p.quoted and doc.exactly_quoted(s, e):
        return True
    if p.capitalized and doc.is_upper_at(s):
        j = s - 1
        while j >= 0 and doc.text[j] == " ":
            j -= 1
        return j >= 0 and (doc.text[j].isalnum() or doc.text[j] in ",-")
    return False


def find_exact(doc: Document, exact: list[tuple[str, str, re.Pattern[str]]], out: Mentions) -> None:
    """Case-sensitive abbreviations (ЦОС) found on the original text."""
    for name, kind, pattern in exact:
        for m in pattern.finditer(doc.original):
            out.programmes.append(Found(kind, name, m.start(), m.end(), in_original=True))
