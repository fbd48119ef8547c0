DROP TABLE reconciliation_resolutions;
DROP TABLE reconciliations;
DROP TABLE import_mappings;
DROP TABLE people_imports;
