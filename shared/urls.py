"""Canonical article URLs, so one story reached by different links is stored once.

In `shared/` because every way in uses it: the API and the ingest worker canonicalise an
article's URL before it is stored (`submission.submit_article`), and the ingest service
canonicalises feed links and pages' `rel=canonical`.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that identify a campaign, a click or a share, never the document itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
        "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid", "rb_clickid",
        "s_cid", "ncid", "cmpid", "sr_share", "ocid", "at_medium", "at_campaign",
        "ref", "ref_src", "ref_url", "referrer", "smid",
        "xtor", "spm", "__twitter_impression", "fb_action_ids", "fb_action_types", "fb_ref",
        "fb_source",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
# Characters left as they are in a path; everything else is percent-encoded once.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize(url: str, base: str | None = None) -> str:
    """The canonical form of `url` (resolved against `base` if relative).

    Lower-cases scheme and host, drops default ports, fragments, credentials and tracking
    parameters, sorts the remaining parameters, resolves `.`/`..` segments and gives an empty
    path a `/`. A trailing slash on a non-empty path is kept: `/a` and `/a/` can be different
    documents, and a site serves one of them under a redirect anyway. Raises ValueError for a
    URL that cannot be parsed (a broken IPv6 literal, a bad port).
    """
    if base is not None:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = _encode_host(host)
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(name)
        ),
        quote_via=quote,
    )
    return urlunsplit((scheme, netloc, _normalise_path(parts.path), query, ""))


def choose_canonical(page_url: str, declared: str | None) -> str:
    """The URL to store for a page: its declared `rel=canonical` when that is plausible."""
    page = canonicalize(page_url)
    if not declared:
        return page
    try:
        candidate = canonicalize(declared, base=page_url)
    except ValueError:
        return page
    candidate_parts, page_parts = urlsplit(candidate), urlsplit(page)
    if candidate_parts.scheme not in DEFAULT_PORTS or not candidate_parts.hostname:
        return page
    # A canonical pointing at a site's front page from an article is a template bug, not a hint.
    if candidate_parts.path in ("", "/") and page_parts.path not in ("", "/"):
        return page
    return candidate


def _encode_host(host: str) -> str:
    host = host.lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith("/")
    normalised = posixpath.normpath(path)
    # normpath keeps a leading "//" (POSIX allows it to mean something else); URLs do not.
    normalised = "/" + normalised.lstrip("/")
    if trailing and normalised != "/":
        normalised += "/"
    return quote(_decode_unreserved(normalised), safe=_PATH_SAFE)


def _decode_unreserved(path: str) -> str:
    """Decode %XX only where it stands for an unreserved character; upper-case the rest."""

    def fix(match: re.Match[str]) -> str:
        char = unquote(match.group(0))
        if char.isascii() and (char.isalnum() or char in "-._~"):
            return char
        return match.group(0).upper()

    return _PERCENT.sub(fix, path)
