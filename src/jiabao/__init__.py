"""Jiabao (家保): a family-account life & health insurance platform."""

__version__ = "0.1.0"
