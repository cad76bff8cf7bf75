-- A lookup matches number and name together in the index, so a known
-- number with another name reads no row, as an unknown number does: the
-- time an answer takes does not tell whether the number exists. The
-- number-only index is a prefix of this one.

CREATE INDEX certificates_number_name ON certificates (number_key, name_key);

DROP INDEX certificates_number_key;
