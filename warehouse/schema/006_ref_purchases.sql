-- The post-QT reserve-management purchases: an announced monthly purchase amount beside the runoff caps of
-- ref.qt_cap_regimes (seed warehouse/seeds/qt_cap_regimes.csv). Added with IF NOT EXISTS so a warehouse built
-- before it gains the column instead of failing to load the seed.
ALTER TABLE ref.qt_cap_regimes ADD COLUMN IF NOT EXISTS purchase_target_bn DOUBLE;
COMMENT ON COLUMN ref.qt_cap_regimes.purchase_target_bn IS 'Announced Treasury purchase amount for the period (reserve-management purchases, e.g. the first round of about $40B from 2025-12-12), USD billions; NULL where no amount is cited in the note.';
