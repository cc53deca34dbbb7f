"""The archive: articles, their enrichment as rows, entities, mentioned dates, feeds.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

The schema, table by table (`shared/store/` is the only code that reads or writes it):

articles        One row per accepted article, as submitted, written once: what changes later
                lives in the two tables below, so that a status move never rewrites the text
                nor re-indexes it. `id` is today's 16-hex id (from the canonical URL, else the
                words). `url_digest` and `content_digest` are unique, so that a submission is
                `INSERT … ON CONFLICT DO NOTHING` and two racing submissions of one story end
                with one row. `published_at` is stored as an instant plus `published_offset`
                (seconds east of UTC as the publisher wrote it), so that `+08:00` comes back as
                `+08:00`. `order_key` is the list order: publication (else acceptance) time in
                whole seconds plus a fraction from the id, so that a cursor is (order_key, id)
                as before (a dateline found at enrichment fills `published_at` and moves it).
                `search` is a generated tsvector over title (weight A) and text (weight B) with
                a GIN index for `q`.
article_status  The lifecycle, one row per article: status, attempts, error, `status_since`
                (indexed with `status`: what the sweeper queries), `enriched_at`. The claim is
                an UPDATE … RETURNING here.
enrichments     The pipeline's answer, one row per enriched article: `document` keeps it as
                JSON so that `GET /articles/{id}` returns it exactly (everything that is
                queried is also in the rows below); `labels` (GIN) and `top_entities` serve the
                label filter and the list view.
article_entities One row per (article, entity): mentions and salience, with the article's
                `order_key` copied so that "articles with entity X, newest first" is one index
                range scan on (entity_id, order_key DESC, article_id DESC). Since 0005 the
                entity is its integer key, `entities.key`, and the label is left to `entities`.
mentions        An article's entity mentions, (entity id, label, start, end) each, as four
                parallel arrays in one row per article (the entity's key since 0005).
mentioned_dates The days an article's DATE/TIME mentions cover, as one datemultirange per
                article with a GiST index; a `mentions_date_from/to` filter is an overlap.
entities        Every entity ever seen with its article count, changed in the transaction that
                stores an enrichment; `lookup_keys` (GIN) are the normalised names it answers to.
feeds           Followed feeds with their last poll; `due_at` is the schedule, `claimed_by` and
                `claimed_until` the lease a worker takes with FOR UPDATE SKIP LOCKED.
feed_articles   Which feed contributed which article.
feed_entries_seen Digests (by kind: url, guid, hash) of every feed entry ever queued.

Every table hanging off an article references it ON DELETE CASCADE, so retention deletes
articles and the rest goes with them.
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE articles (
    id              text PRIMARY KEY,
    title           text NOT NULL,
    text            text NOT NULL,
    url             text,
    source          text,
    source_key      text,
    published_at    timestamptz,
    published_offset integer,
    created_at      timestamptz NOT NULL DEFAULT now(),
    url_digest      text UNIQUE,
    content_digest  text NOT NULL UNIQUE,
    order_key       double precision NOT NULL,
    -- Stored, although it is as large as the text and does not compress (3.1 KB of 13 KB an
    -- article): computed on the fly, each row a query walks in another index's order (newest
    -- first, with common words) costs ~0.3 ms idle and several under load, and the planner
    -- charges the same for every bitmap recheck, so it picks walks that take seconds at
    -- 100,000 articles. Positions past 16,383 are not kept by tsvector anyway; the cap bounds
    -- the work per row.
    search          tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', left(text, 200000)), 'B')
                    ) STORED
);
CREATE INDEX articles_order ON articles (order_key DESC, id DESC);
CREATE INDEX articles_source ON articles (source_key, order_key DESC, id DESC);
CREATE INDEX articles_created ON articles (created_at);
CREATE INDEX articles_search ON articles USING gin (search);

CREATE TABLE article_status (
    article_id      text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'processing', 'enriched', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    error           text,
    status_since    timestamptz NOT NULL DEFAULT now(),
    enriched_at     timestamptz
);
CREATE INDEX article_status_since ON article_status (status, status_since);

CREATE TABLE enrichments (
    article_id      text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    -- json, not jsonb: it is only ever read whole, as text, and its text compresses
    -- much better than jsonb's binary form (2.1 KB an article stored instead of 3.3 KB).
    document        json NOT NULL,
    labels          text[] NOT NULL DEFAULT '{}',
    top_entities    jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX enrichments_labels ON enrichments USING gin (labels);

CREATE TABLE entities (
    id              text PRIMARY KEY,
    name            text NOT NULL,
    label           text NOT NULL,
    articles        integer NOT NULL DEFAULT 0,
    lookup_keys     text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX entities_ranking ON entities (articles DESC, id);
CREATE INDEX entities_label_ranking ON entities (label, articles DESC, id);
CREATE INDEX entities_lookup ON entities USING gin (lookup_keys);

CREATE TABLE article_entities (
    article_id      text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id       text NOT NULL,
    label           text NOT NULL,
    mentions        integer NOT NULL,
    salience        real NOT NULL,
    order_key       double precision NOT NULL
);
-- No primary key: the store writes an article's rows once per enrichment, under the lock on
-- its status row, one per entity id. A unique (article_id, entity_id) index would cost as much
-- as the table; this one, its ~25 entries per article deduplicated into one, costs little.
CREATE INDEX article_entities_article ON article_entities (article_id);
CREATE INDEX article_entities_newest
    ON article_entities (entity_id, order_key DESC, article_id DESC);

-- Mention k of an article is (entity_ids[k], labels[k], starts[k], ends[k]): one row per
-- article, as a row per mention costs ~90 bytes (header, article id) for ~12 bytes of data.
CREATE TABLE mentions (
    article_id      text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    entity_ids      text[] NOT NULL,
    labels          text[] NOT NULL,
    starts          integer[] NOT NULL,
    ends            integer[] NOT NULL
);

-- All the days an article's dates cover, as one multirange per article.
CREATE TABLE mentioned_dates (
    article_id      text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    days            datemultirange NOT NULL
);
CREATE INDEX mentioned_dates_days ON mentioned_dates USING gist (days);

CREATE TABLE feeds (
    id              text PRIMARY KEY,
    url             text NOT NULL,
    source          text,
    title           text,
    interval_seconds integer NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_polled_at  timestamptz,
    last_status     text NOT NULL DEFAULT 'new',
    last_error      text,
    error_count     integer NOT NULL DEFAULT 0,
    next_poll_at    timestamptz,
    etag            text,
    last_modified   text,
    due_at          timestamptz NOT NULL DEFAULT now(),
    claimed_by      text,
    claimed_until   timestamptz
);
CREATE INDEX feeds_due ON feeds (due_at);

CREATE TABLE feed_articles (
    feed_id         text NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    article_id      text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (feed_id, article_id)
);
CREATE INDEX feed_articles_article ON feed_articles (article_id);

CREATE TABLE feed_entries_seen (
    kind            text NOT NULL,
    digest          text NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, digest)
);
"""

DOWNGRADE = """
DROP TABLE feed_entries_seen, feed_articles, feeds, mentioned_dates, mentions,
    article_entities, entities, enrichments, article_status, articles;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
