-- Results connects as its own role (${service_role}, LUNGFLOW_DB_USERNAME) with only the rights it
-- needs; migrations run as the tables' owner (LUNGFLOW_DB_OWNER_USERNAME). The service role owns
-- nothing, so it cannot disable the audit trail's triggers or alter any table, and on the audit
-- trail it may only read and append. Where one role does both (no owner given), this grants
-- nothing and results says at start that the audit trail is then only as safe as that role.
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
