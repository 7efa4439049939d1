-- schema 18: reserved for issue 12's import/KPI work (credited_by_day); filled in as that work lands.
SELECT 1;
