-- Run by Flyway after every migration, as the owner: what results' own role (${service_role},
-- LUNGFLOW_DB_USERNAME) may do, granted again at each start, so a role given later (or renamed)
-- gets it too. It reads and writes results' tables, and on the audit trail only reads and
-- appends; it owns nothing, so it cannot switch the audit trail's triggers off or alter a table.
-- Where one role both migrates and serves, there is nothing to grant.
do $$
begin
    if '${service_role}' <> current_user then
        execute format('grant usage on schema %I to %I', current_schema(), '${service_role}');
        execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), '${service_role}');
        execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), '${service_role}');
        execute format('revoke update, delete, truncate, references, trigger on audit_record from %I', '${service_role}');
        execute format('revoke delete, truncate on audit_relay from %I', '${service_role}');
        execute format('revoke all on flyway_schema_history from %I', '${service_role}');
    end if;
end;
$$;
