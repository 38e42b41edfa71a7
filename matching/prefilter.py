"""A cheap test that rules out most posts before any morphology.

Each check is a literal anchor (tested with `in`, which is fast) and a confirming regex
run only when the anchor is present. A post that passes no check cannot be explicit or
implicit, so the matcher answers `none` at once.
"""

from __future__ import annotations

import html
import re

import ahocorasick

from matching.formats import stem_regex
from matching.lexicon import Lexicon
from matching.literals import Literals
from matching.mentions import SOURCE_PHRASES
from matching.patterns import literal_start, trie_regex
from matching.normalize import QUOTES, cyrillic_lookalikes, lower
from matching.phrases import TOKEN_RE

# The general word in all its written forms, on lower-cased raw text.
_GENERAL_CONFIRM = (
    r"нац\.?[\s_]?пр(?:[оа]?[еэ]|[оа]|[еэ][оа])[кц]т|нац\.?[\s_]?проек(?:а|у|ом|е|и|ов|ам|ами|ах)(?!\w)|нац\.?[\s_]?(?:роект|поект|проет)"
    r"|нацио\w*\s+(?:проек(?:а|у|ом|е|и|ов|ам|ами|ах)(?!\w)|роект|поект|прект|прокт|проет)|нацио\w*[-\u00ad\u2010\u2011]?\s*\w*[\s_]+проект"
    r"|национальн\w*проект|нацпрограмм|национальн\w*\s+программ"
)


_HASHTAG_RE = re.compile(r"#\w+")
_REACH = 120  # characters around an anchor where its confirming phrase must lie


class Prefilter:
    def __init__(self, lex: Lexicon, also_words: frozenset[str] = frozenset(),
                 starts_of: tuple[str, ...] = ()) -> None:
        """`also_words` are only reported by `scan` (the matcher's literal gate reuses this pass);
        `starts_of` are anchors whose word-start positions `scan` reports (the brands' variants)."""
        sources: dict[str, list[str]] = {
            "нац": [_GENERAL_CONFIRM],
            "нп": [r"(?<![^\W\d_])нп(?![^\W\d_])"],
            "xn--80aapampemcchfmo7a3c9ehj": ["xn--80aapampemcchfmo7a3c9ehj"],
            "милли": [r"милли\s+проект"],  # the general word in Tatar and Bashkir
        }
        aliases = [a for p in lex.projects if p.standalone for a in p.aliases if len(TOKEN_RE.findall(a)) > 1]
        aliases += [a for prog in lex.programmes for a in prog.aliases]
        for alias in aliases:
            sources.setdefault(_anchor(alias), []).append(stem_regex(alias))
        # a quoted project name right after «в рамках», «по линии» … (see mentions.SOURCE_PHRASES)
        names = "|".join(stem_regex(a) for p in lex.projects for a in p.aliases)
        for phrase in SOURCE_PHRASES:
            words = phrase.replace(" ", r"\s+")
            sources.setdefault(_anchor(phrase), []).append(rf"{words}\s*[{re.escape(QUOTES)}]\s*(?:{names})")
        # «президентского проекта «Образование»»: the general cue that needs a project's name after it
        sources.setdefault("президентск", []).append(rf"президентск\w*\s+проект\w*\s*[{re.escape(QUOTES)}]?\s*(?:{names})")
        for prog in lex.programmes:
            for pattern in prog.patterns:  # spelling variants: anchored on their literal first letters
                source = pattern.pattern.removeprefix("(?<![\\w])")
                sources.setdefault(literal_start(source), []).append(source)
            for exact in prog.exact_aliases:
                sources.setdefault(exact.lower(), []).append(re.escape(exact.lower()))
        # The trie stops at the shortest anchor, so it must also confirm the longer ones.
        for short in list(sources):
            for long in list(sources):
                if long != short and long.startswith(short):
                    sources[short] = sources[short] + sources[long]
        self._confirm = {anchor: re.compile("|".join(dict.fromkeys(parts))) for anchor, parts in sources.items()}
        self.anchors = frozenset(self._confirm)  # each is reported by `scan` wherever it occurs
        # Hashtags, where words are glued together, are searched by the trie without a word-start guard.
        self._glued = re.compile(trie_regex(sorted(self._confirm)))
        # Anchors begin words: one Aho-Corasick pass finds them all, and the topics' literal triggers too.
        self._automaton = ahocorasick.Automaton()
        # every anchor of `starts_of` is one of the anchors (else `reports_starts` is False)
        self.reports_starts = bool(starts_of) and all(a in self._confirm for a in starts_of)
        wanted = frozenset(starts_of)
        for anchor in self._confirm:
            self._automaton.add_word(anchor, (anchor, len(anchor), anchor in wanted))
        # the topics' literals: their triggers, and the first letters their patterns (and branches) need
        self._topic_gate = Literals([p for topic in lex.topics for p in topic.all_of])
        words = {w for topic in lex.topics for w in (*topic.triggers, *(a for g in topic.also for a in g))}
        words.update(self._topic_gate.words)
        words.update(also_words)
        for word in sorted(words):
            if word not in self._confirm:
                self._automaton.add_word(word, word)  # a plain string: a literal only reported, no anchor
        self._automaton.make_automaton()
        self._topics = lex.topics
        # a topic needs one of its triggers: a post with none of them is asked about no topic
        self._topic_triggers = frozenset(t for topic in lex.topics for t in topic.triggers)

    def __call__(self, original: str) -> bool:
        return self.scan(original, complete=False)[0]

    def scan(self, original: str, complete: bool = True) -> tuple[bool, set[str], list[int]]:
        """(may the post be relevant, the words of the automaton found in its lower-cased text,
        the positions where a word begins with one of `starts_of`, in order).

        With `complete` the whole text is scanned even after the answer is known, so the words
        and positions found are all of them (the matcher takes them instead of passes of its own)."""
        low = lower(original).replace("ё", "е")  # as the normaliser lowers, so both see the same words
        if "\u00a0" in low:  # and as it folds spaces («на 1 100 мест» with a no-break space)
            low = low.replace("\u00a0", " ")
        if "&" in low:
            low = html.unescape(low)
        found = self._scan_lower(low, complete)
        if not found[0]:
            # a post whose only mention mixes Latin look-alike letters into Cyrillic («нацпрoект»): read them as
            # the normaliser does and scan again (only posts not already let through pay for the look-alikes)
            read = cyrillic_lookalikes(low)
            if read is not low:
                return self._scan_lower(read, complete)
        return found

    def _scan_lower(self, low: str, complete: bool) -> tuple[bool, set[str], list[int]]:
        """`scan` on text already lower-cased and folded as the normaliser does."""
        # Matches come in the order they end, so at a word start the shortest anchor comes first; its
        # confirming regex covers the longer anchors beginning there, which are skipped. (Anchors are
        # word stems, so a word-start anchor never begins inside another one, as the regex scan that
        # this replaced never did.)
        present: set[str] = set()
        starts: list[int] = []
        confirm = self._confirm
        last_start = -1
        passed = False
        for end, value in self._automaton.iter(low):
            if value.__class__ is str:
                present.add(value)
                continue
            word, size, wanted = value
            present.add(word)
            start = end - size + 1
            if start == last_start:  # a word start already seen (where a shorter anchor began)
                if wanted and (not starts or starts[-1] != start):
                    starts.append(start)
                continue
            if start > 0 and (low[start - 1].isalnum() or low[start - 1] == "_"):
                continue
            last_start = start
            if wanted:
                starts.append(start)
            # a confirming phrase contains its anchor, so look only around it
            if not passed and confirm[word].search(low, max(0, start - _REACH), end + 1 + _REACH):
                if not complete:
                    return True, present, starts
                passed = True
        starts = sorted(set(starts))  # hits come in the order they end, not begin
        if passed:
            return True, present, starts
        if "#" in low:
            tags = " ".join(_HASHTAG_RE.findall(low))
            for m in self._glued.finditer(tags):
                if self._confirm[m.group()].search(tags):
                    return True, present, starts
        if present.isdisjoint(self._topic_triggers):
            return False, present, starts
        gate = self._topic_gate
        for topic in self._topics:
            if not topic.may_match_words(present):
                continue
            if not all(gate.may_match(p, present) for p in topic.all_of):
                continue  # a pattern whose first letters are absent cannot match
            if all(gate.search(p, low, present) for p in topic.all_of):
                return True, present, starts
        return False, present, starts


def _anchor(alias: str) -> str:
    """The longest word stem of an alias: a literal every written form contains."""
    words = TOKEN_RE.findall(alias.lower().replace("ё", "е"))
    stems = [w if len(w) <= 3 else w[: max(3, len(w) - 3)] for w in words]
    return max(stems, key=len)
