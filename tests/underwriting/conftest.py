from __future__ import annotations

import pytest

from jiabao.underwriting.engine import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base("2026.1")
