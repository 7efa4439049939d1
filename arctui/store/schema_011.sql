-- arctui schema 11 (issue 14, item 4): credit-limit changes under authority limits. Claimed; table follows.
SELECT 1;
