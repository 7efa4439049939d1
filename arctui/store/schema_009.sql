-- arctui schema 9 (issue 14, items 4 and 7): chart of reason/GL codes, write-offs. Claimed; tables follow.
SELECT 1;
