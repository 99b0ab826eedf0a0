--liquibase formatted sql

--changeset pr:01
-- expect: column-type-rewrite
ALTER TABLE file ALTER COLUMN file_size TYPE bigint;

--changeset pr:02
-- expect: safe
ALTER TABLE contentnode ALTER COLUMN title TYPE varchar(400);

--changeset pr:03
-- expect: safe
ALTER TABLE contentnode ALTER COLUMN kind TYPE text;

--changeset pr:04
-- expect: column-type-rewrite
ALTER TABLE contentnode ALTER COLUMN title TYPE varchar(100);

--changeset pr:05
-- expect: create-index-blocking
CREATE INDEX contentnode_parent_idx ON contentnode (parent_id);

--changeset pr:06 runInTransaction:false
-- expect: safe
CREATE INDEX CONCURRENTLY file_contentnode_idx ON file (contentnode_id);

--changeset pr:07
-- expect: concurrently-in-transaction
CREATE INDEX CONCURRENTLY file_preset_idx ON file (preset);

--changeset pr:08
-- expect: safe
ALTER TABLE contentnode ADD COLUMN extra_fields jsonb;

--changeset pr:09
-- expect: safe
ALTER TABLE channel ADD COLUMN public boolean NOT NULL DEFAULT false;

--changeset pr:10
-- expect: safe
ALTER TABLE file ADD COLUMN created timestamptz DEFAULT now();

--changeset pr:11
-- expect: add-column-rewrite
ALTER TABLE channel ADD COLUMN secret_token uuid DEFAULT gen_random_uuid();

--changeset pr:12
-- expect: set-not-null-scan
ALTER TABLE file ALTER COLUMN checksum SET NOT NULL;

--changeset pr:13
-- expect: safe
ALTER TABLE file ADD CONSTRAINT file_size_nn CHECK (file_size IS NOT NULL) NOT VALID;

--changeset pr:14 runInTransaction:false
-- expect: safe
ALTER TABLE file VALIDATE CONSTRAINT file_size_nn;

--changeset pr:15
-- expect: safe
ALTER TABLE file ALTER COLUMN file_size SET NOT NULL;

--changeset pr:16
-- expect: add-foreign-key-scan
ALTER TABLE file ADD CONSTRAINT file_contentnode_fk FOREIGN KEY (contentnode_id) REFERENCES contentnode (id);

--changeset pr:17
-- expect: safe
ALTER TABLE contentnode ADD CONSTRAINT contentnode_parent_fk FOREIGN KEY (parent_id) REFERENCES contentnode (id) NOT VALID;

--changeset pr:18
-- expect: add-unique-builds-index
ALTER TABLE "user" ADD CONSTRAINT user_email_key UNIQUE (email);

--changeset pr:19
-- expect: rename-column
ALTER TABLE channel RENAME COLUMN main_tree_id TO main_tree;

--changeset pr:20
-- expect: drop-column
ALTER TABLE contentnode DROP COLUMN complete;

--changeset pr:21
-- expect: safe
CREATE TABLE assessmentitem (id varchar(32) PRIMARY KEY, contentnode_id varchar(32), question text, type varchar(50));
CREATE INDEX assessmentitem_node_idx ON assessmentitem (contentnode_id);
ALTER TABLE assessmentitem ADD CONSTRAINT assessmentitem_node_fk FOREIGN KEY (contentnode_id) REFERENCES contentnode (id) NOT VALID;
ALTER TABLE assessmentitem ALTER COLUMN type SET NOT NULL;

--changeset pr:22
-- expect: safe
ALTER TABLE assessmentitem RENAME COLUMN type TO kind;

--changeset pr:23
-- expect: add-check-scan
ALTER TABLE channel ADD CONSTRAINT channel_version_positive CHECK (version >= 0);

--changeset pr:24
-- expect: safe
UPDATE channel SET public = true WHERE id = 'featured';

--changeset pr:25
-- expect: table-rewrite
VACUUM FULL file;

--changeset pr:26
-- expect: safe
CREATE TABLE channel_set (id varchar(32) PRIMARY KEY, name text);
DROP TABLE channel_set;

--changeset pr:27
-- expect: drop-table
DROP TABLE channel;

--changeset pr:28
-- expect: safe
ALTER TABLE "user" ALTER COLUMN email TYPE varchar(200);

--changeset pr:29
-- expect: column-type-rewrite
ALTER TABLE "user" ALTER COLUMN policies TYPE json;

--changeset pr:30
-- expect: safe
COMMENT ON COLUMN file.file_size IS 'bytes, up to 2^63';

-- changeset pr:44
-- expect: rename-table
ALTER TABLE "user" RENAME TO account;

--changeset pr:4
-- expect: create-index-blocking
CREATE INDEX file_modified_idx ON file (modified);
