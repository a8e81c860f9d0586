"""What the actuary reads: the latest run (or one run) with totals by product, CSM by cohort and the movement
from the previous run. Aggregates only — the actuary sees no personal data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from jiabao.core.auth import Principal, Role
from jiabao.core.errors import NotFound, PermissionDenied
from jiabao.valuation import repository as repo
from jiabao.valuation.models import AssumptionSetRecord, ValuationRun

READERS = frozenset({Role.ACTUARY, Role.ADMIN, Role.AUDITOR})


def _ensure_reader(principal: Principal) -> None:
    if principal.role not in READERS:
        raise PermissionDenied()


@dataclass(frozen=True)
class ProductLine:
    product_code: str
    policies: int
    statutory: Decimal
    pvr: Decimal
    cash_value: Decimal
    bel: Decimal
    ra: Decimal
    csm: Decimal
    loss_component: Decimal
    previous_bel: Decimal | None
    previous_statutory: Decimal | None


@dataclass(frozen=True)
class ValuationView:
    run: ValuationRun
    assumption_version: str
    previous: ValuationRun | None
    products: list[ProductLine]
    cohorts: list[tuple[int, Decimal, Decimal]]  # cohort, CSM, loss component
    movement: dict[str, dict[str, Decimal | int]] | None
    runs: Sequence[ValuationRun]


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _by_product(session: Session, run_id: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for g in repo.groups(session, run_id):
        line = out.setdefault(
            g.product_code, dict.fromkeys(("policies", "statutory", "pvr", "cash_value", "bel", "ra", "csm", "loss"), 0)
        )
        line["policies"] += g.policies
        line["statutory"] += g.statutory_fen
        line["pvr"] += g.pvr_fen
        line["cash_value"] += g.cash_value_fen
        line["bel"] += g.bel_fen
        line["ra"] += g.ra_fen
        line["csm"] += g.csm_fen
        line["loss"] += g.loss_component_fen
    return out


def view(session: Session, principal: Principal, run_id: int | None = None) -> ValuationView | None:
    """The latest run (or ``run_id``) with totals by product, CSM by cohort and movements from the previous run;
    aggregates only (the actuary sees no personal data). None when nothing has been valued yet."""
    _ensure_reader(principal)
    current = repo.run(session, run_id) if run_id is not None else repo.latest_run(session)
    if current is None:
        if run_id is not None:
            raise NotFound()
        return None
    previous = repo.run(session, current.previous_run_id) if current.previous_run_id else None
    now_lines, before = _by_product(session, current.id), _by_product(session, previous.id) if previous else {}
    products = [
        ProductLine(
            product_code=code,
            policies=v["policies"],
            statutory=_yuan(v["statutory"]),
            pvr=_yuan(v["pvr"]),
            cash_value=_yuan(v["cash_value"]),
            bel=_yuan(v["bel"]),
            ra=_yuan(v["ra"]),
            csm=_yuan(v["csm"]),
            loss_component=_yuan(v["loss"]),
            previous_bel=_yuan(before[code]["bel"]) if code in before else None,
            previous_statutory=_yuan(before[code]["statutory"]) if code in before else None,
        )
        for code, v in sorted(now_lines.items())
    ]
    cohorts: dict[int, list[int]] = {}
    for g in repo.groups(session, current.id):
        pair = cohorts.setdefault(g.cohort, [0, 0])
        pair[0] += g.csm_fen
        pair[1] += g.loss_component_fen
    movement = None
    if previous is not None:
        raw = repo.movement(session, current.id, previous.id)
        movement = {k: {m: (v if m == "policies" else _yuan(v)) for m, v in row.items()} for k, row in raw.items()}
    record = session.get(AssumptionSetRecord, current.assumption_set_id)
    return ValuationView(
        run=current,
        assumption_version=record.version if record else "",
        previous=previous,
        products=products,
        cohorts=[(c, _yuan(v[0]), _yuan(v[1])) for c, v in sorted(cohorts.items())],
        movement=movement,
        runs=repo.runs(session),
    )
