"""What the finders return: spans in the normalised text with what they matched."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Found:
    """A finding with a span in the normalised text."""

    kind: str
    target: str
    start: int
    end: int
    in_original: bool = False  # span is in the original text, not the normalised one


@dataclass(slots=True)
class General:
    start: int
    end: int
    first: int  # token index
    last: int
    bare: bool  # no project name attached
    in_hashtag: bool = False


@dataclass(slots=True)
class Mentions:
    projects: list[Found] = field(default_factory=list)
    general: list[General] = field(default_factory=list)
    programmes: list[Found] = field(default_factory=list)
    topics: list[Found] = field(default_factory=list)
    false_friends: list[Found] = field(default_factory=list)
    weak_programmes: list[Found] = field(default_factory=list)  # listed only in explicit posts
    foreign: bool = False  # the post is about another country's national project
