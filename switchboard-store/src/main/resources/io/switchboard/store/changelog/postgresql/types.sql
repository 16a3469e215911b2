-- liquibase formatted sql

-- Column types of the common changesets, as PostgreSQL spells them. Instants are timestamptz (the store writes
-- them to the millisecond); JSON is jsonb, which the store's SQL casts its text parameters to.

-- property name:uuid value:uuid dbms:postgresql
-- property name:instant value:timestamptz dbms:postgresql
-- property name:json value:jsonb dbms:postgresql
-- property name:bool value:boolean dbms:postgresql
-- property name:float value:float8 dbms:postgresql
-- property name:identity value:bigserial dbms:postgresql
