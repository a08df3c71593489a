-- What results keeps. Every table is written idempotently: each event has a natural key
-- (scan id, prediction id, label id, model version transition), so a redelivered event
-- changes nothing.

-- One row per scan. Ingest fields come from scans.ingested; the active_* summary from the
-- newest ACTIVE prediction; current_label_id from the latest confirmation. A prediction may
-- arrive before its scan's ingest event, so only scan_id is required.
create table scan (
    scan_id              varchar(64) primary key,
    received_at          timestamptz,
    bucket               varchar(255),
    object_key           varchar(1024),
    media_type           varchar(64),
    size_bytes           bigint,
    sha256               char(64),
    channel              varchar(16),
    source_system        varchar(128),
    calling_ae_title     varchar(16),
    modality             varchar(3),
    body_part            varchar(64),
    view_position        varchar(16),
    study_reference      varchar(64),
    study_instance_uid   varchar(64),
    series_instance_uid  varchar(64),
    sop_instance_uid     varchar(64),
    in_scope             boolean,
    scope_reason         varchar(512),
    width                integer,
    height               integer,
    status               varchar(16) not null default 'PENDING',
    active_prediction_id varchar(128),
    active_model         varchar(128),
    active_version       varchar(64),
    active_decision      varchar(64),
    positive_probability double precision,
    uncertainty          double precision,
    predicted_at         timestamptz,
    current_label_id     varchar(128),
    recorded_at          timestamptz not null default now()
);
create index scan_worklist on scan (positive_probability desc, uncertainty desc) where status = 'PREDICTED' and current_label_id is null;
create index scan_study on scan (study_reference);
create index scan_study_uid on scan (study_instance_uid);
create index scan_received on scan (received_at);
create index scan_decision on scan (active_decision);

-- One row per (scan, model version, role): the prediction id is that triple.
create table prediction (
    prediction_id   varchar(128) primary key,
    scan_id         varchar(64) not null,
    outcome         varchar(16) not null,
    model           varchar(128),
    version         varchar(64),
    role            varchar(16) not null,
    probabilities   text,
    decision        varchar(64),
    positive_class  varchar(64),
    threshold       double precision,
    rejection_code  varchar(32),
    rejection_reason varchar(1024),
    total_ms        double precision,
    predicted_at    timestamptz not null,
    recorded_at     timestamptz not null default now()
);
create index prediction_scan on prediction (scan_id);
create index prediction_model on prediction (model, version, role);

-- Every confirmation is kept; the scan points at the latest.
create table label (
    label_id      varchar(128) primary key,
    scan_id       varchar(64) not null,
    label         varchar(64) not null,
    reviewer      varchar(80) not null,
    confirmed_at  timestamptz not null,
    source        varchar(16) not null,
    supersedes    varchar(128),
    agrees_with_prediction boolean,
    recorded_at   timestamptz not null default now()
);
create index label_scan on label (scan_id, confirmed_at desc);

-- The latest state of each model version, and every transition it went through.
create table model_version (
    model           varchar(128) not null,
    version         varchar(64) not null,
    status          varchar(16) not null,
    canary_share    double precision,
    classes         text not null,
    positive_class  varchar(64) not null,
    threshold       double precision not null,
    offline_metrics text,
    changed_at      timestamptz not null,
    changed_by      varchar(128),
    reason          varchar(1024),
    primary key (model, version)
);

create table model_transition (
    model           varchar(128) not null,
    version         varchar(64) not null,
    status          varchar(16) not null,
    previous_status varchar(16),
    canary_share    double precision,
    changed_at      timestamptz not null,
    changed_by      varchar(128),
    reason          varchar(1024),
    primary key (model, version, status, changed_at)
);
