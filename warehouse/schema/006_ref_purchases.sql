-- The post-QT reserve-management purchases: an announced monthly purchase amount beside the runoff caps of
-- ref.qt_cap_regimes (seed warehouse/seeds/qt_cap_regimes.csv). The column is in 005_ref.sql's CREATE; a warehouse built before it
-- gains it by warehouse/migrations/001_columns_added_before_versions.sql.
COMMENT ON COLUMN ref.qt_cap_regimes.purchase_target_bn IS 'Announced Treasury purchase amount for the period (reserve-management purchases, e.g. the first round of about $40B from 2025-12-12), USD billions; NULL where no amount is cited in the note.';
