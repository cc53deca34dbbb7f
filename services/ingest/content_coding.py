"""Undoing a response's Content-Encoding within a size cap.

httpx inflates each layer of a `Content-Encoding` in one call per chunk, so a stacked
`gzip, gzip` body of a few hundred bytes becomes hundreds of megabytes before any cap sees
it. Here at most one layer is accepted, and it is inflated with zlib's `max_length`, so no
call ever produces more than the bytes still allowed.
"""

from __future__ import annotations

import zlib

# What we ask for in Accept-Encoding, and all we undo.
ACCEPT_ENCODING = "gzip, deflate"
_GZIP = frozenset({"gzip", "x-gzip"})
_DEFLATE = frozenset({"deflate"})


class ContentCodingError(ValueError):
    """A body whose Content-Encoding we refuse or cannot undo."""


class BodyDecoder:
    """Turns raw body chunks into decoded bytes, never more than asked for per call."""

    def __init__(self, content_encoding: str | None) -> None:
        layers = [
            token.strip().lower()
            for token in (content_encoding or "").split(",")
            if token.strip() and token.strip().lower() != "identity"
        ]
        if len(layers) > 1:
            raise ContentCodingError(
                f"refused: stacked Content-Encoding {content_encoding!r} "
                "(one layer of gzip or deflate at most)"
            )
        self._coding = layers[0] if layers else None
        if self._coding is not None and self._coding not in _GZIP | _DEFLATE:
            raise ContentCodingError(f"unsupported Content-Encoding {content_encoding!r}")
        self._inflater: zlib._Decompress | None = None
        if self._coding in _GZIP:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif self._coding in _DEFLATE:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        self._started = False
        self._pending = b""

    def decode(self, raw: bytes, limit: int) -> bytes:
        """Decoded bytes of `raw` (plus any left over), at most `limit` of them.

        Input that would inflate past `limit` is kept for the next call; a caller enforcing a
        cap asks for one byte more than it allows and stops when it gets them.
        """
        if self._inflater is None:
            return raw
        data = self._pending + raw
        try:
            out = self._inflater.decompress(data, max(limit, 1))
        except zlib.error as exc:
            if self._coding in _DEFLATE and not self._started:
                # "deflate" is meant to be zlib-wrapped, but many servers send it raw.
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.decode(raw, limit)
            raise ContentCodingError(f"cannot decode the {self._coding} body: {exc}") from None
        self._started = True
        self._pending = self._inflater.unconsumed_tail
        return out

    @property
    def has_pending(self) -> bool:
        """Whether input is waiting for room in the cap."""
        return bool(self._pending)

    def finish(self) -> bytes:
        """The last decoded bytes once the raw body has ended."""
        if self._inflater is None:
            return b""
        try:
            return self._inflater.flush()
        except zlib.error as exc:
            raise ContentCodingError(f"cannot decode the {self._coding} body: {exc}") from None
