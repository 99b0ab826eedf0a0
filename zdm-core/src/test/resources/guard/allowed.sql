--liquibase formatted sql

--changeset test:1-index
--zdm:allowUnsafe the table is a 100-row lookup table
CREATE INDEX file_size_idx ON file (file_size);
