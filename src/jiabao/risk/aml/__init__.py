"""Anti-money-laundering (反洗钱): customer due diligence, large-value and suspicious transaction reports.

``rules`` and ``export`` are pure (dates are arguments, no database); ``models``, ``repository`` and ``service``
are the domain part."""
