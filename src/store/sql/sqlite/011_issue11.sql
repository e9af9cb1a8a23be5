-- Issue 11, closer to the procedure.

-- Section 4 upkeep (issue 11): ADMIN and SOPORTE add, rename and retire
-- causes and closure reasons.  Codes never change and nothing is deleted:
-- a retired entry (active 0) stays on old records and is refused on new
-- ones.  The counter 'catalog-version' tells every node to reload.
ALTER TABLE catalog_items ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- K2 (issue 11): a paper form older than manual_max_age_days is
-- regularised by CONTROL with a justification instead of being refused.
ALTER TABLE events ADD COLUMN late_justification TEXT;
