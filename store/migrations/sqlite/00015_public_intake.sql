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
    danger               INTEGER NOT NULL DEFAULT 0,
    anonymous            INTEGER NOT NULL DEFAULT 1,
    message_sealed       BLOB,
    contact_way_sealed   BLOB,
    contact_time_sealed  BLOB,
    age_sealed           BLOB,
    school_sealed        BLOB,
    area_sealed          BLOB,
    zone_sealed          BLOB,
    reporter_name_sealed BLOB,
    code_hash            BLOB NOT NULL UNIQUE,
    passphrase_hash      TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX public_requests_channel ON public_requests(channel, created_at);

-- The conversation of a request: the sender's first message stays on the request; replies from the
-- centre and the sender's answers are here, sealed.
CREATE TABLE public_messages (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES public_requests(id),
    sender      TEXT NOT NULL,
    text_sealed BLOB NOT NULL,
    author_id   TEXT REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX public_messages_request ON public_messages(request_id, created_at);

-- Photos and voice notes, recognised by their bytes, stripped of location, and sealed whole (at most
-- 10 MB each, 3 per request).
CREATE TABLE public_attachments (
    id               TEXT PRIMARY KEY,
    request_id       TEXT NOT NULL REFERENCES public_requests(id),
    content_type     TEXT NOT NULL,
    kind             TEXT NOT NULL,
    size             INTEGER NOT NULL,
    metadata_removed INTEGER NOT NULL DEFAULT 0,
    content_sealed   BLOB NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX public_attachments_request ON public_attachments(request_id);

-- Counters of the public rate limits, shared by every node: one row per bucket (a keyed hash of the
-- client's address or of a follow-up code, never the value) and fixed window.
CREATE TABLE public_rate_limits (
    bucket       BLOB NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX public_rate_limits_window ON public_rate_limits(window_start);

-- +goose Down
SELECT 1;
