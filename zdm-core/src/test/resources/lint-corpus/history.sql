--liquibase formatted sql

-- A Kolibri-Studio-like schema, released long ago: every table holds production data.
--changeset studio:1
CREATE TABLE contentnode (id varchar(32) PRIMARY KEY, title varchar(200) NOT NULL, description text,
  kind varchar(200), license_id int, parent_id varchar(32), created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(), complete boolean, sort_order double precision NOT NULL DEFAULT 1);
--changeset studio:2
CREATE TABLE file (id varchar(32) PRIMARY KEY, checksum varchar(400), file_size integer, contentnode_id varchar(32),
  preset varchar(150), language_id varchar(14), uploaded_by_id int, modified timestamptz);
--changeset studio:3
CREATE TABLE "user" (id serial PRIMARY KEY, email varchar(100) NOT NULL, disk_space bigint NOT NULL DEFAULT 524288000,
  is_admin boolean NOT NULL DEFAULT false, policies jsonb);
--changeset studio:4
CREATE TABLE channel (id varchar(32) PRIMARY KEY, name varchar(200) NOT NULL, deleted boolean NOT NULL DEFAULT false,
  main_tree_id varchar(32), version int NOT NULL DEFAULT 0);
--changeset studio:5
CREATE INDEX file_checksum_idx ON file (checksum);
