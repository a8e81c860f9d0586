"""Policy documents: the electronic policy PDF (pure rendering, CJK text, masked identifiers only)."""

from jiabao.documents.model import (
    Beneficiary,
    CashValueRow,
    CashValueTable,
    InsuredMember,
    Party,
    PaymentFrequency,
    PolicyDocument,
    Term,
    TermKind,
)
from jiabao.documents.policy_pdf import render_policy_pdf
from jiabao.documents.privacy import ClearPersonalDataError, find_clear_pii

__all__ = [
    "Beneficiary",
    "CashValueRow",
    "CashValueTable",
    "ClearPersonalDataError",
    "InsuredMember",
    "Party",
    "PaymentFrequency",
    "PolicyDocument",
    "Term",
    "TermKind",
    "find_clear_pii",
    "render_policy_pdf",
]
