"""One-off generator that bootstrapped knowledge-base version 2026.1 from a compact table (not used at run time)."""
