-- The trainer connects as its own role (${service_role}, LUNGFLOW_DB_USERNAME), which reads and
-- writes the labelled-example index and owns nothing; migrations run as the owner
-- (LUNGFLOW_DB_OWNER_USERNAME). Where one role does both, this grants nothing.
do $$
begin
    if '${service_role}' <> current_user then
        execute format('grant usage on schema %I to %I', current_schema(), '${service_role}');
        execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), '${service_role}');
        execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), '${service_role}');
        execute format('revoke all on flyway_schema_history from %I', '${service_role}');
    end if;
end;
$$;
