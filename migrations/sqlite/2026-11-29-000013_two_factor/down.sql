ALTER TABLE sessions DROP COLUMN enrolling_secret;
ALTER TABLE sessions DROP COLUMN second_factor_pending;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
