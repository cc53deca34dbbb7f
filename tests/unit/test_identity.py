import hashlib
import random
import re
import sys

from shared.identity import article_id, content_digest
from shared.models import ArticleIn


def test_same_words_same_id_whatever_the_whitespace() -> None:
    a = ArticleIn(title="Title", text="Some  words\nhere.")
    b = ArticleIn(title="Title", text="Some words here.")
    assert article_id(a) == article_id(b)
    assert len(article_id(a)) == 16


def test_url_decides_the_id_when_present() -> None:
    a = ArticleIn(title="T", text="first version", url="https://example.org/a")
    b = ArticleIn(title="T", text="corrected version", url="https://example.org/a")
    c = ArticleIn(title="T", text="first version")
    assert article_id(a) == article_id(b) != article_id(c)


def test_content_digests_match_those_stored_by_earlier_versions() -> None:
    # Earlier versions folded whitespace with a regular expression; an archive holds their
    # digests, so a new submission of the same words must still find its article.
    def stored_digest(title: str, text: str) -> str:
        folded = re.sub(r"\s+", " ", f"{title}\n{text}").strip().casefold()
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))]
    assert "\u00a0" in spaces and "\u3000" in spaces and "\x1c" in spaces
    alphabet = [*spaces, "\u200b", "\ufeff", "a", "B", "é", "ß", "İ", ".", "-"]
    rng = random.Random(5)
    for _ in range(2000):
        title = "".join(rng.choices(alphabet, k=rng.randrange(0, 8)))
        text = "".join(rng.choices(alphabet, k=rng.randrange(0, 40)))
        assert content_digest(title, text) == stored_digest(title, text), (title, text)
    assert content_digest(" Title\u2003", "Some\u00a0 words\n\x1chere. ") == stored_digest(
        " Title\u2003", "Some\u00a0 words\n\x1chere. "
    )
