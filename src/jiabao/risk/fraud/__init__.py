"""Anti-fraud (反欺诈): application risk scoring (核保风控) and claims fraud scoring with a calibrated model.

``application_rules``, ``claim_rules`` and ``model`` are pure; ``models``, ``service`` and ``hooks`` are the domain
part (``hooks`` holds the two calls the application flow and the claims gate make)."""
