-- liquibase formatted sql

-- Column types of the common changesets, as SQLite spells them. Instants are epoch milliseconds (the store
-- writes them to the millisecond); UUIDs are their text form; JSON is text; booleans are 0 and 1.
-- An INTEGER PRIMARY KEY is SQLite's rowid: a new row gets one more than the largest id.

-- property name:uuid value:TEXT dbms:sqlite
-- property name:instant value:INTEGER dbms:sqlite
-- property name:json value:TEXT dbms:sqlite
-- property name:bool value:INTEGER dbms:sqlite
-- property name:float value:REAL dbms:sqlite
-- property name:identity value:INTEGER dbms:sqlite
