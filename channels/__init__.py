"""Channel adapters: given a channel and its cursor, return new posts."""

from channels.base import (CHANNEL_KINDS, ChannelError, ChannelRef, ChannelSettings, FetchContext,
                           FetchResult, HttpError, HttpGetter, Post)

__all__ = ["CHANNEL_KINDS", "ChannelError", "ChannelRef", "ChannelSettings", "FetchContext",
           "FetchResult", "HttpError", "HttpGetter", "Post"]
