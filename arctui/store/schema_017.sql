-- schema 17: the queue's score kept in account_facts (issue 12); filled in below as the work lands.
SELECT 1;
