"""Fraud rings (欺诈团伙): a graph of households and what they share; ``graph`` and ``svg`` are pure."""
