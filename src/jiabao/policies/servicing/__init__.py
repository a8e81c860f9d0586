"""Servicing (保全): the service requests and their items, cancellation and surrender."""
