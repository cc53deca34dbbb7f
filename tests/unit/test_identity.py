from shared.identity import article_id
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
