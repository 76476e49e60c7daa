-- +goose Up
-- Incidents of a case. What happened is coded (place, acts, GBVIMS type, contexts) so statistics can
-- count it; how it happened is the narrative, sealed. The day is stored as the millisecond of midnight
-- in Qatar, and the survivor's age that day (not the birth date) so age-based figures open nothing.
CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    occurred_on      BIGINT NOT NULL,
    place_type       TEXT NOT NULL,
    gbv_type         TEXT NOT NULL,
    survivor_age     BIGINT,
    narrative_sealed BYTEA,
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX incidents_case ON incidents(case_id, occurred_on);

-- The coded lists of an incident, one row per item: kind is act, relationship (one per perpetrator, so
-- two brothers are two rows), context or harm. Statistics add the indexes their queries need.
CREATE TABLE incident_codes (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    kind        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    code        TEXT NOT NULL,
    PRIMARY KEY (incident_id, kind, position)
);

-- The comprehensive assessment, versioned per case: each save is a new row, the highest version is the
-- assessment. Each section is a sealed JSON document of free text and structured answers.
CREATE TABLE assessments (
    id                    TEXT PRIMARY KEY,
    case_id               TEXT NOT NULL REFERENCES cases(id),
    version               BIGINT NOT NULL,
    safety_sealed         BYTEA,
    health_sealed         BYTEA,
    family_sealed         BYTEA,
    education_work_sealed BYTEA,
    legal_sealed          BYTEA,
    child_needs_sealed    BYTEA,
    created_by            TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    UNIQUE (case_id, version)
);

-- Risk-instrument results. The answers describe the person and are sealed; the result (level and
-- flags) is kept readable for queues and statistics.
CREATE TABLE risk_assessments (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    instrument_id          TEXT NOT NULL,
    instrument_version     BIGINT NOT NULL,
    answers_sealed         BYTEA NOT NULL,
    professional_judgement TEXT NOT NULL DEFAULT '',
    score                  BIGINT NOT NULL,
    yes_count              BIGINT NOT NULL,
    score_level            TEXT NOT NULL,
    level                  TEXT NOT NULL,
    band                   TEXT NOT NULL,
    marac_referral         BOOLEAN NOT NULL DEFAULT FALSE,
    escalation             BOOLEAN NOT NULL DEFAULT FALSE,
    immediate_danger       BOOLEAN NOT NULL DEFAULT FALSE,
    raises_priority        BOOLEAN NOT NULL DEFAULT FALSE,
    incidents_counted      BIGINT NOT NULL DEFAULT 0,
    created_by             TEXT NOT NULL,
    created_at             BIGINT NOT NULL
);
CREATE INDEX risk_assessments_case ON risk_assessments(case_id, created_at);

-- The care plan's own dates; its goals are below.
CREATE TABLE care_plans (
    case_id    TEXT PRIMARY KEY REFERENCES cases(id),
    review_on  BIGINT,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE care_goals (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    track               TEXT NOT NULL,
    description_sealed  BYTEA NOT NULL,
    responsible_user_id TEXT REFERENCES users(id),
    due_on              BIGINT,
    status              TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX care_goals_case ON care_goals(case_id, created_at);

CREATE TABLE care_interventions (
    id                  TEXT PRIMARY KEY,
    goal_id             TEXT NOT NULL REFERENCES care_goals(id),
    case_id             TEXT NOT NULL REFERENCES cases(id),
    description_sealed  BYTEA NOT NULL,
    responsible_user_id TEXT REFERENCES users(id),
    due_on              BIGINT,
    status              TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX care_interventions_case ON care_interventions(case_id, created_at);

CREATE TABLE care_progress_notes (
    id          TEXT PRIMARY KEY,
    goal_id     TEXT NOT NULL REFERENCES care_goals(id),
    case_id     TEXT NOT NULL REFERENCES cases(id),
    note_sealed BYTEA NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX care_progress_notes_case ON care_progress_notes(case_id, created_at);

-- Safety plans, versioned per case like assessments: the highest version is the plan.
CREATE TABLE safety_plans (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    version     BIGINT NOT NULL,
    plan_sealed BYTEA NOT NULL,
    review_on   BIGINT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (case_id, version)
);

-- The catalogue of social services. Codes are stable (deliveries and statistics name them); names may
-- be edited and services retired, never deleted.
CREATE TABLE service_catalogue (
    code       TEXT PRIMARY KEY,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    position   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO service_catalogue (code, name_ar, name_en, active, position, updated_at) VALUES
    ('financial_aid',        'مساعدة مالية',              'Financial aid',           TRUE, 10, 0),
    ('in_kind_aid',          'مساعدة عينية',              'In-kind aid',             TRUE, 20, 0),
    ('housing',              'دعم السكن',                 'Housing support',         TRUE, 30, 0),
    ('education_enrolment',  'التسجيل في التعليم',        'Education enrolment',     TRUE, 40, 0),
    ('employment',           'دعم التوظيف',               'Employment support',      TRUE, 50, 0),
    ('documents',            'استخراج الوثائق الرسمية',   'Official documents',      TRUE, 60, 0),
    ('counselling_session',  'جلسة إرشاد',                'Counselling session',     TRUE, 70, 0),
    ('family_counselling',   'إرشاد أسري',                'Family counselling',      TRUE, 80, 0),
    ('legal_aid',            'مساعدة قانونية',            'Legal aid',               TRUE, 90, 0),
    ('medical_referral',     'إحالة طبية',                'Medical referral',        TRUE, 100, 0),
    ('shelter_stay',         'إقامة في دار الإيواء',      'Shelter stay',            TRUE, 110, 0),
    ('childcare',            'رعاية الأطفال',             'Childcare',               TRUE, 120, 0),
    ('transport',            'مواصلات',                   'Transport',               TRUE, 130, 0);

-- Services delivered (or attempted) to a person of a case. The beneficiary is named apart from the case
-- because the yearly figure counts people, not cases. The provider is a member of staff or a partner
-- organisation by name; neither is beneficiary data.
CREATE TABLE service_deliveries (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    beneficiary_id   TEXT NOT NULL REFERENCES beneficiaries(id),
    service_code     TEXT NOT NULL REFERENCES service_catalogue(code),
    delivered_at     BIGINT NOT NULL,
    provider_user_id TEXT REFERENCES users(id),
    provider_org     TEXT,
    outcome          TEXT NOT NULL,
    note_sealed      BYTEA,
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX service_deliveries_case ON service_deliveries(case_id, delivered_at);
-- The social-service beneficiary count reads only this index.
CREATE INDEX service_deliveries_served ON service_deliveries(delivered_at, outcome, beneficiary_id);

-- +goose Down
SELECT 1;
