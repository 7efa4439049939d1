-- arctui schema 8 (issue 14, items 4 and 7): placeholder taken first, filled in below.
SELECT 1;
