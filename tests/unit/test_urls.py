"""Canonical URLs: the same story reached by different links gets one URL."""

from __future__ import annotations

import pytest

from shared.urls import canonicalize, choose_canonical


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example.COM/story", "http://news.example.com/story"),
        ("https://news.example.com:443/story", "https://news.example.com/story"),
        ("http://news.example.com:80/story", "http://news.example.com/story"),
        ("https://news.example.com:8443/story", "https://news.example.com:8443/story"),
        ("https://news.example.com/story#comments", "https://news.example.com/story"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com./story", "https://news.example.com/story"),
        ("https://u:p@news.example.com/story", "https://news.example.com/story"),
        ("https://news.example.com/a/./b/../story", "https://news.example.com/a/story"),
        ("https://news.example.com//a//story", "https://news.example.com/a/story"),
        (
            "https://news.example.com/%7Eeditor/caf%c3%a9",
            "https://news.example.com/~editor/caf%C3%A9",
        ),
        ("https://news.example.com/café story", "https://news.example.com/caf%C3%A9%20story"),
        ("https://bücher.example/neu", "https://xn--bcher-kva.example/neu"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ],
)
def test_scheme_host_port_fragment_and_path_are_normalised(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def test_tracking_parameters_are_dropped_and_the_rest_sorted() -> None:
    url = (
        "https://news.example.com/story?utm_source=rss&utm_medium=feed&UTM_Campaign=x"
        "&page=2&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&_ga=4&igshid=5&ref=home&id=7"
    )
    assert canonicalize(url) == "https://news.example.com/story?id=7&page=2"


def test_query_values_and_repeats_are_kept() -> None:
    url = "https://news.example.com/search?q=a+b&tag=z&tag=a&empty="
    assert canonicalize(url) == "https://news.example.com/search?empty=&q=a%20b&tag=a&tag=z"


def test_a_trailing_slash_on_a_path_is_kept() -> None:
    # /a and /a/ may be different documents; only the empty path gains a slash.
    assert canonicalize("https://news.example.com/section/") == "https://news.example.com/section/"
    assert canonicalize("https://news.example.com/section") == "https://news.example.com/section"


def test_links_resolve_against_a_base() -> None:
    assert (
        canonicalize("../world/story?utm_source=x", base="https://news.example.com/uk/index.html")
        == "https://news.example.com/world/story"
    )


def test_canonicalising_twice_changes_nothing() -> None:
    url = "HTTPS://News.Example.com:443/a/../b/caf%c3%a9?z=1&utm_id=2&a=%2F#top"
    once = canonicalize(url)
    assert canonicalize(once) == once


def test_a_declared_canonical_url_is_honoured() -> None:
    page = "https://m.news.example.com/story?utm_source=rss&amp=1"
    assert choose_canonical(page, "https://news.example.com/2026/03/story") == (
        "https://news.example.com/2026/03/story"
    )
    assert (
        choose_canonical(page, "/2026/03/story#top") == "https://m.news.example.com/2026/03/story"
    )


def test_an_implausible_canonical_falls_back_to_the_page_url() -> None:
    page = "https://news.example.com/2026/03/story?utm_source=rss"
    expected = "https://news.example.com/2026/03/story"
    assert choose_canonical(page, None) == expected
    assert choose_canonical(page, "") == expected
    assert choose_canonical(page, "https://news.example.com/") == expected  # front page
    assert choose_canonical(page, "javascript:alert(1)") == expected
