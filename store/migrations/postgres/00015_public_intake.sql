-- +goose Up
-- The public apps: a child's help request (Sa'idni), a woman's consultation (Shawirni) and a report by
-- anyone (Ballighni). Everything a sender wrote or attached is sealed by the application; what stays
-- readable is what triage and the figures count (channel, kind, harms, about, urgency, times). The
-- follow-up code is kept only as a hash and the passphrase only as an argon2id hash, so a copy of the
-- database opens no request.
CREATE TABLE public_requests (
    id                   TEXT PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    channel              TEXT NOT NULL,
    kind                 TEXT NOT NULL DEFAULT '',
    harms                TEXT NOT NULL DEFAULT '',
    about                TEXT NOT NULL DEFAULT '',
    urgency              TEXT NOT NULL DEFAULT '',
    danger               BOOLEAN NOT NULL DEFAULT FALSE,
    anonymous            BOOLEAN NOT NULL DEFAULT TRUE,
    message_sealed       BYTEA,
    contact_way_sealed   BYTEA,
    contact_time_sealed  BYTEA,
    age_sealed           BYTEA,
    school_sealed        BYTEA,
    area_sealed          BYTEA,
    zone_sealed          BYTEA,
    reporter_name_sealed BYTEA,
    code_hash            BYTEA NOT NULL UNIQUE,
    passphrase_hash      TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX public_requests_channel ON public_requests(channel, created_at);

-- The conversation of a request: the sender's first message stays on the request; replies from the
-- centre and the sender's answers are here, sealed.
CREATE TABLE public_messages (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES public_requests(id),
    sender      TEXT NOT NULL,
    text_sealed BYTEA NOT NULL,
    author_id   TEXT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX public_messages_request ON public_messages(request_id, created_at);

-- Photos and voice notes, recognised by their bytes, stripped of location, and sealed whole (at most
-- 10 MB each, 3 per request).
CREATE TABLE public_attachments (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL REFERENCES public_requests(id),
    content_type     TEXT NOT NULL,
    kind             TEXT NOT NULL,
    size             BIGINT NOT NULL,
    metadata_removed BOOLEAN NOT NULL DEFAULT FALSE,
    content_sealed   BYTEA NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX public_attachments_request ON public_attachments(request_id);

-- Counters of the public rate limits, shared by every node: one row per bucket (a keyed hash of the
-- client's address or of a follow-up code, never the value) and fixed window.
CREATE TABLE public_rate_limits (
    bucket       BYTEA NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX public_rate_limits_window ON public_rate_limits(window_start);

-- +goose Down
SELECT 1;
