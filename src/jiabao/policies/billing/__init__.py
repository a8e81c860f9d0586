"""Billing (收费): instalments, the status job, suspensions, reinstatement and its review."""
