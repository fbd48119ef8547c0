DROP TABLE person_merges;
DROP TABLE person_distinct;
DROP TABLE person_statements;
DROP TABLE person_name_keys;
DROP TABLE people;
