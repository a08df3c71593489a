-- Run by Flyway after every migration, as the owner: what the trainer's own role (${service_role},
-- LUNGFLOW_DB_USERNAME) may do, granted again at each start, so a role given later gets it too:
-- read and write the labelled-example index in this schema, own nothing. Where one role both
-- migrates and serves, there is nothing to grant.
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
