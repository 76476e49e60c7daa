-- +goose Up
-- Incidents of a case. What happened is coded (place, acts, GBVIMS type, contexts) so statistics can
-- count it; how it happened is the narrative, sealed. The day is stored as the millisecond of midnight
-- in Qatar, and the survivor's age that day (not the birth date) so age-based figures open nothing.
CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    occurred_on      INTEGER NOT NULL,
    place_type       TEXT NOT NULL,
    gbv_type         TEXT NOT NULL,
    survivor_age     INTEGER,
    narrative_sealed BLOB,
    created_by       TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX incidents_case ON incidents(case_id, occurred_on);

-- The coded lists of an incident, one row per item: kind is act, relationship (one per perpetrator, so
-- two brothers are two rows), context or harm. Statistics add the indexes their queries need.
CREATE TABLE incident_codes (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    kind        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    PRIMARY KEY (incident_id, kind, position)
);

-- The comprehensive assessment, versioned per case: each save is a new row, the highest version is the
-- assessment. Each section is a sealed JSON document of free text and structured answers.
CREATE TABLE assessments (
    id                    TEXT PRIMARY KEY,
    case_id               TEXT NOT NULL REFERENCES cases(id),
    version               INTEGER NOT NULL,
    safety_sealed         BLOB,
    health_sealed         BLOB,
    family_sealed         BLOB,
    education_work_sealed BLOB,
    legal_sealed          BLOB,
    child_needs_sealed    BLOB,
    created_by            TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    UNIQUE (case_id, version)
);

-- Risk-instrument results. The answers describe the person and are sealed; the result (level and
-- flags) is kept readable for queues and statistics.
CREATE TABLE risk_assessments (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    instrument_id          TEXT NOT NULL,
    instrument_version     INTEGER NOT NULL,
    answers_sealed         BLOB NOT NULL,
    professional_judgement TEXT NOT NULL DEFAULT '',
    score                  INTEGER NOT NULL,
    yes_count              INTEGER NOT NULL,
    score_level            TEXT NOT NULL,
    level                  TEXT NOT NULL,
    band                   TEXT NOT NULL,
    marac_referral         INTEGER NOT NULL DEFAULT 0,
    escalation             INTEGER NOT NULL DEFAULT 0,
    immediate_danger       INTEGER NOT NULL DEFAULT 0,
    raises_priority        INTEGER NOT NULL DEFAULT 0,
    incidents_counted      INTEGER NOT NULL DEFAULT 0,
    created_by             TEXT NOT NULL,
    created_at             INTEGER NOT NULL
);
CREATE INDEX risk_assessments_case ON risk_assessments(case_id, created_at);

-- The care plan's own dates; its goals are below.
CREATE TABLE care_plans (
    case_id    TEXT PRIMARY KEY REFERENCES cases(id),
    review_on  INTEGER,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE care_goals (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    track               TEXT NOT NULL,
    description_sealed  BLOB NOT NULL,
    responsible_user_id TEXT REFERENCES users(id),
    due_on              INTEGER,
    status              TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX care_goals_case ON care_goals(case_id, created_at);

CREATE TABLE care_interventions (
    id                  TEXT PRIMARY KEY,
    goal_id             TEXT NOT NULL REFERENCES care_goals(id),
    case_id             TEXT NOT NULL REFERENCES cases(id),
    description_sealed  BLOB NOT NULL,
    responsible_user_id TEXT REFERENCES users(id),
    due_on              INTEGER,
    status              TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX care_interventions_case ON care_interventions(case_id, created_at);

CREATE TABLE care_progress_notes (
    id          TEXT PRIMARY KEY,
    goal_id     TEXT NOT NULL REFERENCES care_goals(id),
    case_id     TEXT NOT NULL REFERENCES cases(id),
    note_sealed BLOB NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX care_progress_notes_case ON care_progress_notes(case_id, created_at);

-- Safety plans, versioned per case like assessments: the highest version is the plan.
CREATE TABLE safety_plans (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    version     INTEGER NOT NULL,
    plan_sealed BLOB NOT NULL,
    review_on   INTEGER,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (case_id, version)
);

-- The catalogue of social services. Codes are stable (deliveries and statistics name them); names may
-- be edited and services retired, never deleted.
CREATE TABLE service_catalogue (
    code       TEXT PRIMARY KEY,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO service_catalogue (code, name_ar, name_en, active, position, updated_at) VALUES
    ('financial_aid',        'مساعدة مالية',              'Financial aid',           1, 10,  0),
    ('in_kind_aid',          'مساعدة عينية',              'In-kind aid',             1, 20,  0),
    ('housing',              'دعم السكن',                 'Housing support',         1, 30,  0),
    ('education_enrolment',  'التسجيل في التعليم',        'Education enrolment',     1, 40,  0),
    ('employment',           'دعم التوظيف',               'Employment support',      1, 50,  0),
    ('documents',            'استخراج الوثائق الرسمية',   'Official documents',      1, 60,  0),
    ('counselling_session',  'جلسة إرشاد',                'Counselling session',     1, 70,  0),
    ('family_counselling',   'إرشاد أسري',                'Family counselling',      1, 80,  0),
    ('legal_aid',            'مساعدة قانونية',            'Legal aid',               1, 90,  0),
    ('medical_referral',     'إحالة طبية',                'Medical referral',        1, 100, 0),
    ('shelter_stay',         'إقامة في دار الإيواء',      'Shelter stay',            1, 110, 0),
    ('childcare',            'رعاية الأطفال',             'Childcare',               1, 120, 0),
    ('transport',            'مواصلات',                   'Transport',               1, 130, 0);

-- Services delivered (or attempted) to a person of a case. The beneficiary is named apart from the case
-- because the yearly figure counts people, not cases. The provider is a member of staff or a partner
-- organisation by name; neither is beneficiary data.
CREATE TABLE service_deliveries (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    beneficiary_id   TEXT NOT NULL REFERENCES beneficiaries(id),
    service_code     TEXT NOT NULL REFERENCES service_catalogue(code),
    delivered_at     INTEGER NOT NULL,
    provider_user_id TEXT REFERENCES users(id),
    provider_org     TEXT,
    outcome          TEXT NOT NULL,
    note_sealed      BLOB,
    created_by       TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX service_deliveries_case ON service_deliveries(case_id, delivered_at);
-- The social-service beneficiary count reads only this index.
CREATE INDEX service_deliveries_served ON service_deliveries(delivered_at, outcome, beneficiary_id);

-- +goose Down
SELECT 1;
