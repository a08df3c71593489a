-- The trainer's labelled-example index: where each scan's image is (from scans.ingested) and its
-- latest confirmed label (from scans.labels). Both are written idempotently.
create table scan_object (
    scan_id     varchar(64) primary key,
    bucket      varchar(255) not null,
    object_key  varchar(1024) not null,
    media_type  varchar(64) not null,
    modality    varchar(3),
    received_at timestamptz not null
);

create table labelled_example (
    scan_id      varchar(64) primary key,
    label        varchar(64) not null,
    label_id     varchar(128) not null,
    confirmed_at timestamptz not null,
    recorded_at  timestamptz not null default now()
);
create index labelled_example_recorded on labelled_example (recorded_at);

-- When the last run on confirmed labels took its snapshot: labels recorded later are "new".
create table label_run (
    run_id      varchar(64) primary key,
    model       varchar(128) not null,
    snapshot_at timestamptz not null,
    examples    integer not null
);
