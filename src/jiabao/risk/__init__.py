"""Risk control (风控): watch-list screening, application and claims risk scoring, fraud rings, AML."""
