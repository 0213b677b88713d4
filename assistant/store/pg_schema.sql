-- Granska's shared index on PostgreSQL + pgvector, schema version 1.
-- Run by 'granska db init' (as the database owner); {schema}, {writer} and {reader} are
-- filled in as quoted identifiers. Per-generation tables (g<N>_documents, g<N>_chunks,
-- g<N>_terms, g<N>_words, g<N>_sentences, g<N>_templates) are created by each build.

CREATE TABLE IF NOT EXISTS {schema}.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per build. Readers only ever see the generation that {schema}.current names.
CREATE TABLE IF NOT EXISTS {schema}.generations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state       text NOT NULL CHECK (state IN
                    ('planning', 'embedding', 'writing', 'live', 'retired', 'dropped', 'failed')),
    coordinator text NOT NULL,
    manifest    jsonb,
    stats       jsonb,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- The pointer: switched in the same transaction that marks a generation live.
CREATE TABLE IF NOT EXISTS {schema}.current (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    generation bigint NOT NULL REFERENCES {schema}.generations (id)
);

-- The embedding cache: one vector per (model, sha256 of the embedded text).
CREATE TABLE IF NOT EXISTS {schema}.embeddings (
    model_id  text NOT NULL,
    hash      text NOT NULL,
    embedding vector NOT NULL,
    PRIMARY KEY (model_id, hash)
);

-- The work queue of a build: documents that need reading, chunking and embedding.
-- Workers claim a row with FOR UPDATE SKIP LOCKED and hold the lock while they work, so a
-- worker that dies releases its document to the others.
CREATE TABLE IF NOT EXISTS {schema}.work (
    generation bigint NOT NULL REFERENCES {schema}.generations (id) ON DELETE CASCADE,
    doc        text NOT NULL,
    sha256     text NOT NULL,
    state      text NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    worker     text,
    embedded   integer,
    reason     text,
    document   jsonb,
    chunks     jsonb,
    sentences  text[],
    findings   jsonb,
    PRIMARY KEY (generation, doc)
);
