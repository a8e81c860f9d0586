"""The household ledger (家庭账户分类账, issue 12 item 1): every money movement of a household as balanced,
append-only double entries, the family statement and the daily reconciliation (``docs/ledger.md``)."""
