"""Pure rules of the partner network: who may sell what, the hierarchy on a date, commission plans and their
loading cap (报行合一), the monthly commission computation, tax withholding and quality thresholds. No database."""
