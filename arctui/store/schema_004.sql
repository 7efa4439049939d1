-- arctui schema 4: a receipt's state. 'booked' is cash on the account (every receipt so far);
-- 'pending' is an intraday (MT942) entry the end-of-day statement has not confirmed yet: seen,
-- never applied nor counted as cash; 'reversed' is a receipt the bank took back (RC, RvslInd):
-- nothing of it stays applied and it is no longer cash.
ALTER TABLE payments ADD COLUMN state TEXT NOT NULL DEFAULT 'booked'
    CHECK (state IN ('pending', 'booked', 'reversed'));
