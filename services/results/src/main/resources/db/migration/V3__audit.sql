-- The audit trail: one row per ingest, prediction, label confirmation and model transition that
-- results has recorded, chained by hash (see io.lungflow.schemas.AuditChain). Append-only: the
-- database refuses updates, deletes and truncation; a change made around that (by disabling the
-- trigger) breaks the chain, and `./lungflow audit verify` says where.
create table audit_record (
    seq            bigint primary key,
    recorded_at    timestamptz not null,
    kind           varchar(32) not null,
    source_id      varchar(200) not null,
    details        text not null,
    previous_hash  char(64) not null,
    hash           char(64) not null,
    unique (kind, source_id)
);

create function audit_record_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_record is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_record_no_update before update or delete on audit_record
    for each row execute function audit_record_is_append_only();
create trigger audit_record_no_truncate before truncate on audit_record
    for each statement execute function audit_record_is_append_only();

-- How far the audit topic has been fed (the relay publishes in sequence order, at least once).
create table audit_relay (
    id         smallint primary key check (id = 1),
    last_seq   bigint not null
);
insert into audit_relay (id, last_seq) values (1, 0);
