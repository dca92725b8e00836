-- Analyst marts: their tables, columns, types, keys and comments are generated from their one declaration in
-- transforms/marts_registry.py (warehouse/marts_ddl.py, run as 031_marts_registry.sql right after this file).
-- Amounts are $ billions (suffix _bn), rates percent (_pct), spreads basis points (_bp), shares fractions 0..1.
CREATE SCHEMA IF NOT EXISTS marts;
INSERT OR REPLACE INTO meta.schema_comments VALUES ('marts', 'Analyst marts rebuilt from core on every run: QT runoff vs caps, weekly liquidity, daily funding stress, auction health, bill share, daily TGA.');
