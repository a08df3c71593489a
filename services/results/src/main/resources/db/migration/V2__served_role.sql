-- The scan's answer can be the CANARY's (on the share of scans the canary takes), not only ACTIVE's.
alter table scan add column active_role varchar(16);
update scan set active_role = 'ACTIVE' where active_prediction_id is not null;
