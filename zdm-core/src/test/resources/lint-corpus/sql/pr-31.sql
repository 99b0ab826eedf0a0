CREATE INDEX file_language_idx ON file (language_id);
