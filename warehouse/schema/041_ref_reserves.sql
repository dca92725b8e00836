-- Reviewed seeds of issue 23 (warehouse/seeds/rmp_rounds.csv, debt_limit_events.csv, treasury_cash_assumptions.csv),
-- each row with its citation. Loaded by warehouse.db.load_seeds like every seed.
CREATE SCHEMA IF NOT EXISTS ref;

CREATE TABLE IF NOT EXISTS ref.rmp_rounds (
    round VARCHAR PRIMARY KEY,
    announced_on DATE,
    window_from DATE,
    window_to DATE,
    amount_bn DOUBLE,
    amount_basis VARCHAR,
    citation_url VARCHAR,
    note VARCHAR
);
COMMENT ON TABLE ref.rmp_rounds IS 'Reserve-management purchase rounds (grain: monthly round announced by the NY Fed Desk around the ninth business day of each month), reviewed data with citations; marts.rmp_rounds measures each over its own window.';
COMMENT ON COLUMN ref.rmp_rounds.round IS 'RMP-1, RMP-2, ... in announcement order.';
COMMENT ON COLUMN ref.rmp_rounds.announced_on IS 'Day the round''s amount and schedule were (or by the Desk''s ninth-business-day rule would be) announced.';
COMMENT ON COLUMN ref.rmp_rounds.window_from IS 'First day of the round''s purchase window (the day after the announcement).';
COMMENT ON COLUMN ref.rmp_rounds.window_to IS 'Last day of the window: the next monthly announcement.';
COMMENT ON COLUMN ref.rmp_rounds.amount_bn IS 'Announced RMP amount of the round, USD billions, excluding reinvestment of agency principal; NULL where no amount is reviewed (such a round is not compared).';
COMMENT ON COLUMN ref.rmp_rounds.amount_basis IS 'announced (the Desk''s statement), approximate (secondary) (a reported official remark), or not reviewed.';
COMMENT ON COLUMN ref.rmp_rounds.citation_url IS 'Where the amount (or the pace) is published.';
COMMENT ON COLUMN ref.rmp_rounds.note IS 'Reviewer note: quotes and how the dates were set.';

CREATE TABLE IF NOT EXISTS ref.debt_limit_events (
    event_date DATE PRIMARY KEY,
    regime VARCHAR,
    event VARCHAR,
    citation_url VARCHAR,
    note VARCHAR
);
COMMENT ON TABLE ref.debt_limit_events IS 'Statutory debt limit events (grain: event day), reviewed data with citations; the regime holds from event_date until the next event.';
COMMENT ON COLUMN ref.debt_limit_events.event_date IS 'Day the regime starts.';
COMMENT ON COLUMN ref.debt_limit_events.regime IS 'suspended (no limit), limit_in_force (a limit applies; debt below it) or extraordinary_measures (at the limit: Treasury uses extraordinary measures and runs down its cash).';
COMMENT ON COLUMN ref.debt_limit_events.event IS 'What happened (law, Treasury notification).';
COMMENT ON COLUMN ref.debt_limit_events.citation_url IS 'Where it is published (law text, Treasury letter).';
COMMENT ON COLUMN ref.debt_limit_events.note IS 'Reviewer note with the quoted wording.';

CREATE TABLE IF NOT EXISTS ref.treasury_cash_assumptions (
    quarter_end DATE PRIMARY KEY,
    assumed_cash_bn DOUBLE,
    borrowing_estimate_bn DOUBLE,
    announced_on DATE,
    reported_cash_bn DOUBLE,
    citation_url VARCHAR,
    note VARCHAR
);
COMMENT ON TABLE ref.treasury_cash_assumptions IS 'End-of-quarter cash balance Treasury assumed in its quarterly refunding borrowing estimates (grain: quarter end), reviewed data with citations: the latest reviewed estimate for each quarter.';
COMMENT ON COLUMN ref.treasury_cash_assumptions.quarter_end IS 'Last day of the calendar quarter.';
COMMENT ON COLUMN ref.treasury_cash_assumptions.assumed_cash_bn IS 'Assumed end-of-quarter cash balance, USD billions.';
COMMENT ON COLUMN ref.treasury_cash_assumptions.borrowing_estimate_bn IS 'Privately-held net marketable borrowing estimated for the quarter, USD billions.';
COMMENT ON COLUMN ref.treasury_cash_assumptions.announced_on IS 'Day the estimate was announced (NULL where only a later release recalls it).';
COMMENT ON COLUMN ref.treasury_cash_assumptions.reported_cash_bn IS 'End-of-quarter cash balance Treasury later reported, USD billions (NULL until reviewed).';
COMMENT ON COLUMN ref.treasury_cash_assumptions.citation_url IS 'The Treasury press release.';
COMMENT ON COLUMN ref.treasury_cash_assumptions.note IS 'Reviewer note with the quoted wording.';
