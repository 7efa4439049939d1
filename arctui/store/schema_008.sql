-- arctui schema 8 (issue 14, items 3 and 6): collection strategies and statement runs.
-- Claimed; the tables follow.
SELECT 1;
