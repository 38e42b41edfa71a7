"""A response body read within the size cap, counting the bytes after decompression.

300 KB of gzip can hold 300 MB of zeros. httpx decodes each network chunk whole, so a cap
checked on its output, or on the bytes downloaded, lets such a body fill the memory first.
Here the raw chunks are decompressed with zlib's `max_length`, so no step ever produces more
than the cap allows, and reading stops as soon as the cap is passed.

Only gzip and deflate are decoded: they are all natmon asks for (`Accept-Encoding`), since
httpx here has no brotli or zstd decoder. A body in another encoding is kept as it came,
as httpx does, and its raw bytes count against the cap.
"""

from __future__ import annotations

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):
    """The body is larger than the cap (after decompression when it came compressed)."""

    def __init__(self, cap: int, declared: int | None = None) -> None:
        super().__init__(f"body over {cap} bytes")
        self.cap = cap
        self.declared = declared


class BodyUndecodable(Exception):
    """The body says it is compressed but does not decompress."""

    def __init__(self, encoding: str) -> None:
        super().__init__(f"body is not valid {encoding}")
        self.encoding = encoding


class _Inflater:
    """One zlib stream decompressed in steps no larger than the budget left."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._wbits = _WBITS[encoding]
        self._zlib = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes, budget: int) -> bytes:
        """Decompress `data`; raise BodyTooLarge once the output would pass `budget` bytes."""
        out: list[bytes] = []
        produced = 0
        while data:
            try:
                piece = self._zlib.decompress(data, budget - produced + 1)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._started:  # raw deflate without the zlib header
                    self._wbits = -zlib.MAX_WBITS
                    self._zlib = zlib.decompressobj(self._wbits)
                    self._started = True
                    continue
                raise BodyUndecodable(self.encoding) from exc
            self._started = True
            produced += len(piece)
            if produced > budget:
                raise BodyTooLarge(budget)
            out.append(piece)
            data = self._zlib.unconsumed_tail
        return b"".join(out)


def _encodings(response: httpx.Response) -> list[str]:
    """The encodings to undo, last applied first; unknown ones are left as they are (as httpx does)."""
    values = [v.strip().lower() for v in response.headers.get("Content-Encoding", "").split(",")]
    return [value for value in reversed(values) if value in _WBITS]


async def read_capped(response: httpx.Response, cap: int) -> bytes:
    """The whole decoded body of a streamed response, or BodyTooLarge as soon as it passes `cap` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge(cap, int(declared))
    inflaters = [_Inflater(encoding) for encoding in _encodings(response)]
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        if not inflaters and size + len(chunk) > cap:
            raise BodyTooLarge(cap)
        try:
            for inflater in inflaters:  # each stage within the cap: an inner layer is never larger than the page
                chunk = inflater.feed(chunk, cap - size)
        except BodyTooLarge:
            raise BodyTooLarge(cap) from None
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge(cap)
        if chunk:
            chunks.append(chunk)
    return b"".join(chunks)
