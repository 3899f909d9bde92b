-- jobkit schema version 3 for PostgreSQL: nothing to change. SQLite's version 3 dropped two
-- indexes PostgreSQL never had in that form; this number keeps both dialects' versions aligned,
-- so that every later migration has the same number on both.
SELECT 1;
