"""Finding national projects and the general word; programmes and topics are in matching.programmes."""

from __future__ import annotations

import re

from matching.dates import PROGRAMMES_FROM_YEAR
from matching.document import Document
from matching.found import Found, General, Mentions
from matching.lexicon import Lexicon, lookups
from matching.phrases import Hit
from matching.programmes import Variants, add_programme, find_exact, find_programmes, find_topics, find_variants

_NAME_GAP_RE = re.compile(r'[ \t\n"]{0,4}')
# the next quoted name of a list: «…», «…»; «…» и «…»; «…», а также «…»
_LIST_NEXT_RE = re.compile(r'\s*(?:[,;]\s*(?:и|а\s+также)?|и|а\s+также)\s*"')
_PROJECT_WORD_BEFORE_RE = re.compile(r"(?<![\w])(нац)?проект\w*\s*$")
# Words that say money or work came from what follows: a quoted project name right after them
# is the national project («в рамках «Демографии»», «по линии «Семьи»»). A school's own project
# is introduced with «проекта» between them, which this does not accept.
SOURCE_PHRASES = ("в рамках", "по линии", "благодаря", "при поддержке")
_SOURCE_WORDS_BEFORE_RE = re.compile(r"(?<![\w])(" + "|".join(p.replace(" ", r"\s+") for p in SOURCE_PHRASES)
                                     + r")\s*$")
HISTORICAL = "приоритетный национальный проект (2006–2018)"
FOREIGN = "национальный проект другой страны"
UNKNOWN_NAME = "проект с названием не из списка нацпроектов России"
# «российского нацпроекта», «нацпроект России»: Russia's project, even on a foreign site
_RUSSIAN_BEFORE_RE = re.compile(r"(?<![\w])российск\w*\s+$")
_RUSSIAN_AFTER_RE = re.compile(r"\s+(россии|рф|российской\s+федерации)(?![\w])")
_REGIONAL_BEFORE_RE = re.compile(r"(?<![\w])(региональн\w*\s+проект\w*|регпроект\w*)\s*$")
_TITLE_SEPARATOR_RE = re.compile(r"\s*[.:\-]\s*")
_NEAR_NAME_TOKENS = 8
# «благодаря федеральной программе «Семья»»: a national project called a federal programme
_FEDERAL_WORDS_BEFORE_RE = re.compile(r"(?<![\w])федеральн\w*\s+(программ|проект)\w*\s*$")
# «куратор проекта «Культура»», «по направлению «Экология»» in a post about national projects
_PROJECT_OR_AREA_BEFORE_RE = re.compile(r"(?<![\w])(проект|направлени)\w*\s*$")
# a list item or a heading: a line that begins with a name (after a bullet or number) ...
_ITEM_START_RE = re.compile(r'(?:^|\n)[ \t]*(?:[-*\u2022\u25cf\u25aa]|\d{1,2}[.)])?[ \t]*"?$')
# ... and either ends with it (a heading «Образование.», which may follow a sentence on its line)
# or closes its quote after it
_HEADING_START_RE = re.compile(r'[.!?][ \t]+$')
_ITEM_END_RE = re.compile(r'[ \t]*[.:;,]?[ \t]*(?:\n|$)')
# ... or a heading inside a line: a name at a sentence start followed by a colon («Семья: открыт сад.»)
_INLINE_HEADING_END_RE = re.compile(r'[ \t]*:')
_LIST_ITEMS_MIN = 2  # distinct projects on lines of their own that make a list of projects
# a quoted item of a list right before an opening quote: «…», «
_QUOTED_BEFORE_RE = re.compile(r'"\s*(?:[,;]\s*(?:и\s+|а\s+также\s+)?|и\s+|а\s+также\s+)"\s*$')
# «нацпроектов: семья, кадры и экология»: a colon, a dash or an opening bracket right after the
# general word ...
# a slogan after the name inside its quotes: «Образование: шаг вперёд», «Демография - семьи»
_SLOGAN_AFTER_RE = re.compile(r'[ \t]*[:.\-][ \t]+[^"\n.!?]{1,80}"')
_COLON_AFTER_RE = re.compile(r'[ \t]*[:(\-][ \t\n]*"?')
# ... and the next name of that list (an opening quote may follow the separator)
_PLAIN_LIST_NEXT_RE = re.compile(r'"?\s*(?:,\s*(?:и\s+|а\s+также\s+)?|;\s*|\s+и\s+|\s+а\s+также\s+)"?')
# a sentence ends at a mark before a space or quote, or at an empty line; the period of an item's
# number at the start of a line («\n2. «Демография»») is a list, not a sentence end
_SENTENCE_END_RE = re.compile(r"[.!?…](?<!\n\d\.)(?<!\n\d\d\.)(?=[\s\"]|$)|\n\s*\n")


def find_mentions(doc: Document, lex: Lexicon, exact_alias_res: list[tuple[str, str, re.Pattern[str]]],
                  variants: Variants | None = None) -> Mentions:
    out = Mentions()
    project_hits = [h for h in doc.hits if h.alias.kind == "project"]
    consumed: set[int] = set()  # ids of project hits already decided
    _general_and_named(doc, lex, project_hits, consumed, out)
    _near_general(doc, lex, project_hits, consumed, out)
    _standalone(doc, lex, project_hits, consumed, out)
    _after_source_words(doc, project_hits, consumed, out)
    _regional_titles(doc, lex, project_hits, consumed, out)
    _called_federal_programme(doc, project_hits, consumed, out)
    _list_items(doc, project_hits, consumed, out)
    _quoted_runs(doc, lex, project_hits, consumed, out)
    _colon_list(doc, project_hits, consumed, out)
    find_programmes(doc, lex, out)
    if variants is not None:
        find_variants(doc, variants, out)
    find_exact(doc, exact_alias_res, out)
    # a topic only matters when nothing else makes the post relevant (it never names a project)
    if not (out.foreign or out.projects or out.general or out.programmes):
        find_topics(doc, lex, out)
    return out


def _general_and_named(doc: Document, lex: Lexicon, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    text = doc.text
    matches: list[tuple[int, int, int]] = []
    for ci, (cue, start) in enumerate(zip(lex.general, lookups(lex).general_starts, strict=True)):
        # the literal letters the cue begins with (most posts lack them), or any of its choices' letters
        if start in text and doc.may_match(cue.pattern):
            matches.extend((m.start(), m.end(), ci) for m in cue.pattern.finditer(text))
    matches.sort(key=lambda m: (m[0], -m[1]))
    last_end = -1
    for s, e, ci in matches:
        if s < last_end:
            continue
        cue = lex.general[ci]
        if cue.case_sensitive is not None:
            o_s, o_e = doc.norm.to_original(s, e)
            if doc.original[o_s:o_e] != cue.case_sensitive:
                continue
        last_end = e
        first, last = doc.first_token_from(s), doc.last_token_until(e)
        if last < first:
            continue
        name_hits, opened, programme_follows = _names_after(doc, lex, project_hits, last, e, cue.only)
        if doc.before_national_projects(s) or (
            # «приоритетный национальный проект «Молодёжь и дети»» is a current one, mis-worded
            all(h.alias.owner in lookups(lex).priority_namesakes for h in name_hits) and _historical(doc, lex, s)
        ):
            consumed.update(id(h) for h in name_hits)
            out.false_friends.append(Found("false_friend", HISTORICAL, s, e))
            continue
        # (alone in its own quotes, «под видом "национального проекта"», the words are talked about, not a project)
        if not name_hits and (lex.not_national_before.search(text[max(0, s - 80):s]) or lex.not_national_after.match(text, e)
                              or doc.exactly_quoted(s, e)):
            consumed.update(id(h) for h in name_hits)
            out.false_friends.append(Found("false_friend", "«национальный проект» в другом смысле", s, e))
            continue
        if name_hits:
            a, b = doc.sentence_span(s)
            if lex.foreign_cues.search(text, a, b) and not _said_russian(doc, s, e):
                consumed.update(id(h) for h in name_hits)
                out.false_friends.append(Found("false_friend", FOREIGN, s, e))
                continue
        if name_hits:
            consumed.update(id(h) for h in name_hits)
            out.general.append(General(s, e, first, last, bare=False))
            kind = "hashtag" if doc.tokens.tags[first] >= 0 else "national_project"
            for h in name_hits:
                start = s if h is name_hits[0] else doc.tokens.starts[h.first]
                out.projects.append(Found(kind, h.alias.owner, start, _with_quote(doc, doc.tokens.ends[h.last])))
            continue
        if cue.requires_name:
            continue
        if opened and not programme_follows:
            out.false_friends.append(Found("false_friend", UNKNOWN_NAME, s, e))
            continue
        a, b = doc.sentence_span(s)
        if lex.foreign_cues.search(text[a:b]) and not _said_russian(doc, s, e):
            out.false_friends.append(Found("false_friend", FOREIGN, s, e))
            continue
        out.general.append(General(s, e, first, last, bare=not programme_follows, in_hashtag=doc.tokens.tags[first] >= 0))
    _same_project_as_named(doc, lex, out)


def _said_russian(doc: Document, s: int, e: int) -> bool:
    """The general word at [s, e) says the project is Russia's («российского нацпроекта»)."""
    return _RUSSIAN_BEFORE_RE.search(doc.text, max(0, s - 30), s) is not None or \
        _RUSSIAN_AFTER_RE.match(doc.text, e) is not None


def _historical(doc: Document, lex: Lexicon, s: int) -> bool:
    """The words at `s` speak of the 2006–2018 priority project: «приоритетный» before them, a marker
    in their sentence (ПНП), or a post about its grants with no year from 2019 in the sentence."""
    if lex.historical_before.search(doc.text[max(0, s - 30):s]):
        return True
    a, b = doc.sentence_span(s)
    if lex.historical_marker.search(doc.text, a, b):
        return True
    return doc.has_historical_grant(lex.historical_post) and not doc.recent_year_near(s)


def _same_project_as_named(doc: Document, lex: Lexicon, out: Mentions) -> None:
    """A bare «нацпроект» in a post about the priority project or another country's project is that
    project again («… национального проекта «Комфортная школа». В рамках нацпроекта построено …»),
    unless its sentence names a year from 2019."""
    kinds = {f.target for f in out.false_friends}
    out.foreign = FOREIGN in kinds or (UNKNOWN_NAME in kinds and lex.foreign_cues.search(doc.text) is not None)
    # a dated post from 2019 on that recalls the priority project may well speak of today's too
    historical = HISTORICAL in kinds and (doc.published is None or doc.published.year < PROGRAMMES_FROM_YEAR)
    if not (historical or out.foreign):
        return
    keep: list[General] = []
    for g in out.general:
        if g.bare and (out.foreign or not doc.recent_year_near(g.start)):
            out.false_friends.append(Found("false_friend", "тот же проект, что назван в посте раньше (не нацпроект России)",
                                           g.start, g.end))
        else:
            keep.append(g)
    out.general = keep


def _names_after(doc: Document, lex: Lexicon, project_hits: list[Hit], last: int, end: int,
                 only: tuple[str, ...]) -> tuple[list[Hit], bool, bool]:
    """Project names right after the general word (and a list of them), plus quote facts: whether a
    quote opens after the word, and whether a programme's or federal project's name follows it."""
    t = last + 1
    if t >= len(doc.tokens):
        return [], False, False
    start = doc.tokens.starts[t]
    gap_ok = _NAME_GAP_RE.fullmatch(doc.text, end, start) is not None and doc.tokens.tags[t] == doc.tokens.tags[last]
    if not gap_ok:
        return [], False, False
    opened = any(doc.text[i] == '"' and doc.is_open_quote(i) for i in range(end, start))
    hit = _longest_at(project_hits, t, only)
    if hit is None or (opened and not doc.closes_quote(doc.tokens.ends[hit.last])
                       and not _SLOGAN_AFTER_RE.match(doc.text, doc.tokens.ends[hit.last])
                       and not _quote_left_open(doc, doc.tokens.ends[hit.last])):
        programme = any(h.first == t and h.alias.kind == "programme" for h in doc.hits) or \
            (opened and _variant_at(lex, doc.text, start))
        return [], opened, programme
    found = [hit]
    if opened:
        while True:
            close = doc.text.find('"', doc.tokens.ends[found[-1].last])
            m = _LIST_NEXT_RE.match(doc.text, close + 1)
            if close < 0 or not m:
                break
            nxt = doc.first_token_from(m.end())
            h2 = _longest_at(project_hits, nxt, only)
            if h2 is None or not doc.closes_quote(doc.tokens.ends[h2.last]):
                break
            found.append(h2)
    return found, opened, False


def _quote_left_open(doc: Document, end: int) -> bool:
    """No quote closes from `end` to the end of its sentence: the quote opened before a project's
    name was never closed («национального проекта «Образование, …» with its closing mark lost)."""
    return '"' not in doc.text[end:doc.sentence_span(end)[1]]


def _variant_at(lex: Lexicon, text: str, start: int) -> bool:
    """A programme's or federal project's name in one of its spelling variants begins at `start`
    («нацпроекта «Модернизация школьных систем образования»»: the repair programme, quoted)."""
    # each pattern begins with literal letters: a plain look-up before the pattern
    return any(text.startswith(anchor, start) and pattern.match(text, start) for anchor, pattern in lookups(lex).variants)


def _with_quote(doc: Document, end: int) -> int:
    """Extend a span over the closing quote of a quoted name."""
    return end + 1 if doc.closes_quote(end) and doc.text[end] == '"' else end


def _longest_at(hits: list[Hit], t: int, only: tuple[str, ...]) -> Hit | None:
    best: Hit | None = None
    for h in hits:
        if h.first == t and (not only or h.alias.owner in only):
            if best is None or h.last > best.last:
                best = h
    return best


def _near_general(doc: Document, lex: Lexicon, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """A quoted project name close to a bare general word, in one sentence («Благодаря «Демографии» — одному
    из нацпроектов»), and the rest of a list of quoted names that follows it (lines of a bulleted list included)."""
    bare = [g for g in out.general if g.bare]
    if not bare:
        return
    anchors = [(g.first, g.last) for g in bare]
    for h in sorted(project_hits, key=lambda h: h.first):
        if id(h) in consumed:
            continue
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        if not doc.exactly_quoted(s, e) or lex.state_programme_context.search(doc.text[max(0, s - 60):s]):
            continue
        for first, last in anchors:
            dist = min(abs(h.first - last), abs(first - h.last))
            if dist <= _NEAR_NAME_TOKENS and _one_sentence(doc, min(e, doc.tokens.ends[last]), max(s, doc.tokens.starts[first])):
                consumed.add(id(h))
                out.projects.append(Found("national_project", h.alias.owner, s, e))
                anchors.append((h.first, h.last))
                break


def _one_sentence(doc: Document, a: int, b: int) -> bool:
    """No sentence end between two positions (line breaks of a list are allowed)."""
    return _SENTENCE_END_RE.search(doc.text, a, b) is None


def _standalone(doc: Document, lex: Lexicon, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """Distinctive names: «проекта «Продолжительная и активная жизнь»», #МолодёжьИДети."""
    standalone = lookups(lex).standalone
    for h in project_hits:
        if id(h) in consumed or h.alias.owner not in standalone:
            continue
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        tag = doc.tokens.tags[h.first]
        if tag >= 0:
            tag_tokens = [i for i, t in enumerate(doc.tokens.tags) if t == tag]
            if h.last > h.first and tag_tokens == list(range(h.first, h.last + 1)):
                out.projects.append(Found("hashtag", h.alias.owner, s, e))
                consumed.add(id(h))
            continue
        if _quoted_after(doc, s, e, _PROJECT_WORD_BEFORE_RE):
            out.projects.append(Found("national_project", h.alias.owner, s, e))
            consumed.add(id(h))


def _after_source_words(doc: Document, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """Any project's quoted name right after «в рамках», «по линии», «благодаря», «при поддержке»."""
    _quoted_after_words(doc, project_hits, consumed, out, _SOURCE_WORDS_BEFORE_RE)


def _quoted_after_words(doc: Document, project_hits: list[Hit], consumed: set[int], out: Mentions,
                        words_before: re.Pattern[str]) -> None:
    """Each project whose quoted name (outside a hashtag) follows `words_before` is named."""
    for h in project_hits:
        if id(h) in consumed or doc.tokens.tags[h.first] >= 0:
            continue
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        if _quoted_after(doc, s, e, words_before):
            out.projects.append(Found("national_project", h.alias.owner, s, e))
            consumed.add(id(h))


def _regional_titles(doc: Document, lex: Lexicon, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """A regional project titled by its national and federal projects: «регионального проекта
    «Демография. Содействие занятости женщин…»» names both."""
    text = doc.text
    for h in project_hits:
        if id(h) in consumed or doc.tokens.tags[h.first] >= 0:
            continue
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        q = s - 1
        while q >= 0 and text[q] == " ":
            q -= 1
        if q < 0 or text[q] != '"' or not _REGIONAL_BEFORE_RE.search(text, max(0, q - 40), q):
            continue
        sep = _TITLE_SEPARATOR_RE.match(text, e)
        if sep is None:
            continue
        follower = next((p for p in doc.hits if p.alias.kind == "programme" and doc.tokens.starts[p.first] == sep.end()), None)
        if follower is None:
            continue
        consumed.add(id(h))
        out.projects.append(Found("national_project", h.alias.owner, s, e))
        p = lookups(lex).programmes[follower.alias.owner]
        add_programme(out, p, p.kind, sep.end(), doc.tokens.ends[follower.last])


def _quoted_after(doc: Document, s: int, e: int, words_before: re.Pattern[str]) -> bool:
    """The name [s, e) stands alone in quotes, and the words just before its opening quote match."""
    if not doc.exactly_quoted(s, e):
        return False
    q = doc.text.rfind('"', 0, s)
    return words_before.search(doc.text[max(0, q - 30):q]) is not None


def _called_federal_programme(doc: Document, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """In a post that speaks of national projects, a project's quoted name right after «федеральной
    программе» is that project by another word («благодаря федеральной программе «Семья»»), and so is
    one right after «проект» or «направление» alone («куратор проекта «Культура»», «по направлению
    «Экология»»)."""
    if any(g.bare for g in out.general):
        _quoted_after_words(doc, project_hits, consumed, out, _FEDERAL_WORDS_BEFORE_RE)
        if not any(f.target == HISTORICAL for f in out.false_friends):  # the priority project's «Проект «Образование»»
            _quoted_after_words(doc, project_hits, consumed, out, _PROJECT_OR_AREA_BEFORE_RE)


def _list_items(doc: Document, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """In a post that speaks of national projects, project names that begin the lines of a list or
    stand as headings («Здравоохранение.» … «Образование.»; «- «Кадры»,») are those projects,
    when at least two projects are set out so."""
    if not out.general:
        return
    text = doc.text
    items: list[Hit] = []
    for h in project_hits:
        if doc.tokens.tags[h.first] >= 0:
            continue
        s, e = doc.tokens.starts[h.first], doc.tokens.ends[h.last]
        quoted = text[s - 1:s] == '"'
        if quoted and doc.closes_quote(e) and _ITEM_START_RE.search(text, max(0, s - 12), s):
            items.append(h)
        elif not quoted and (_ITEM_END_RE.match(text, e) or _INLINE_HEADING_END_RE.match(text, e)) and (
                _ITEM_START_RE.search(text, max(0, s - 12), s) or _HEADING_START_RE.search(text, max(0, s - 6), s)):
            items.append(h)
    if len({h.alias.owner for h in items}) >= _LIST_ITEMS_MIN:
        _add_items(doc, items, consumed, out)


def _quoted_runs(doc: Document, lex: Lexicon, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """In a post that speaks of national projects, a run of at least two quoted project names joined
    as a list («из них «Экология», «Кадры» и «Семья»») names those projects."""
    if not out.general:
        return
    text = doc.text
    quoted = sorted((h for h in project_hits if doc.tokens.tags[h.first] < 0
                     and doc.exactly_quoted(doc.tokens.starts[h.first], doc.tokens.ends[h.last])),
                    key=lambda h: h.first)
    runs: list[list[Hit]] = []
    for h in quoted:
        prev = runs[-1][-1] if runs else None
        if prev is not None and h.first > prev.last:
            close = text.find('"', doc.tokens.ends[prev.last])
            m = _LIST_NEXT_RE.match(text, close + 1) if close >= 0 else None
            if m is not None and doc.first_token_from(m.end()) == h.first:
                runs[-1].append(h)
                continue
        runs.append([h])
    for run in runs:
        s = doc.tokens.starts[run[0].first]
        if len({h.alias.owner for h in run}) < _LIST_ITEMS_MIN or lex.state_programme_context.search(text[max(0, s - 60):s]):
            continue
        # a list that goes on with other quoted names (nominations «Образование», «Культура» и
        # «Спорт») is a list of something else
        close = text.find('"', doc.tokens.ends[run[-1].last])
        if close >= 0 and _LIST_NEXT_RE.match(text, close + 1) or _QUOTED_BEFORE_RE.search(text, max(0, s - 12), s):
            continue
        _add_items(doc, run, consumed, out)


def _colon_list(doc: Document, project_hits: list[Hit], consumed: set[int], out: Mentions) -> None:
    """Project names listed after a colon, a dash or a bracket right after the general word, quoted
    or not («на сессии обсудили три нацпроекта: семья, кадры, экология»), when the list has at least two."""
    text = doc.text
    by_first: dict[int, Hit] = {}
    for h in project_hits:
        if doc.tokens.tags[h.first] < 0 and (h.first not in by_first or h.last > by_first[h.first].last):
            by_first[h.first] = h
    for g in out.general:
        m = _COLON_AFTER_RE.match(text, g.end)
        if m is None:
            continue
        items: list[Hit] = []
        h = by_first.get(doc.first_token_from(m.end()))
        while h is not None and (not items or h.first > items[-1].last):
            items.append(h)
            nxt = _PLAIN_LIST_NEXT_RE.match(text, doc.tokens.ends[h.last])
            h = by_first.get(doc.first_token_from(nxt.end())) if nxt is not None else None
        if len({h.alias.owner for h in items}) >= _LIST_ITEMS_MIN:
            _add_items(doc, items, consumed, out)


def _add_items(doc: Document, items: list[Hit], consumed: set[int], out: Mentions) -> None:
    """Each item not yet taken names its project (with its closing quote, when quoted)."""
    for h in items:
        if id(h) not in consumed:
            consumed.add(id(h))
            out.projects.append(Found("national_project", h.alias.owner, doc.tokens.starts[h.first],
                                      _with_quote(doc, doc.tokens.ends[h.last])))
