from __future__ import annotations

import pytest

from jiabao.claims.engine import RuleSet
from tests.claims.engine.builders import rules


@pytest.fixture(scope="session")
def rs() -> RuleSet:
    return rules()
