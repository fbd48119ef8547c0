DROP TABLE person_followups;
DROP TABLE return_manifest;
