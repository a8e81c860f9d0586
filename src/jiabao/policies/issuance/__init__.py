"""Issuance (承保): first payment and the policy in one transaction."""
