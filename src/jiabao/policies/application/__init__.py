"""Applications (投保): the application tables and shapes, the application service, confirmation and underwriting
referral outcomes."""
