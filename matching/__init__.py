"""natmon matching: decides whether a post names a national project (and which)."""

from matching.errors import LexiconError
from matching.lexicon import Lexicon, load_lexicon
from matching.matcher import MATCHER_VERSION, Matcher, default_matcher
from matching.records import FORMATS, LABELS, CampaignTerms, Evidence, Match

__all__ = [
    "FORMATS",
    "LABELS",
    "MATCHER_VERSION",
    "CampaignTerms",
    "Evidence",
    "Lexicon",
    "LexiconError",
    "Match",
    "Matcher",
    "default_matcher",
    "load_lexicon",
]
