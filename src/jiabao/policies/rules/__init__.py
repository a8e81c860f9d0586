"""Pure rules of the policy lifecycle (保单生命周期): working-day SLAs, billing, cooling-off, dual recording,
return visits, suitability and consents, servicing (保全).

No database, web framework or clock: every date comes in as an argument. Money is ``Decimal`` rounded to the fen.
Each public function's docstring names its rule and source (``../shared/domain/regulation.md`` section and
confidence); docs/policies.md collects them with the conventions chosen.
"""
