"""Shared policy records and helpers: the policy tables (models), the one premium figure, payments, messages, policy
views and the book in force."""
