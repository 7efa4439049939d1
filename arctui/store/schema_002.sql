-- arctui schema 2: covering indexes for the KPIs (sales by month, cash applied by day),
-- so DSO and CEI read index entries only instead of visiting every invoice row.
DROP INDEX invoices_issue;
CREATE INDEX invoices_issue ON invoices(issue_date, customer_id, amount_cents);
CREATE INDEX invoices_customer_issue ON invoices(customer_id, issue_date, amount_cents);
CREATE INDEX applications_date ON payment_applications(applied_date, invoice_id, amount_cents)
    WHERE kind = 'apply';
