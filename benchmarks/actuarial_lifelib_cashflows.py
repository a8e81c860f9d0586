"""Peer benchmark: lifelib ``basiclife.BasicTerm_M`` ``result_cf()`` (monthly cash flows of 10,000 model points)
against Jiabao's full monthly cash-flow arrays, column by column, side by side.

Run from the repository root with the main venv::

    .venv/bin/python benchmarks/actuarial_lifelib_cashflows.py [--repeat 5]

Like ``actuarial_lifelib_basicterm.py``, lifelib runs in the benchmark-only ``.bench-venv``
(``python3.11 -m venv .bench-venv && .bench-venv/bin/pip install lifelib modelx openpyxl pandas``; never
committed): a worker loads lifelib's own BasicTerm_M, times ``result_cf()`` (``clear_all()`` between runs) and
exports its monthly columns and its inputs. The main process runs
:func:`jiabao.actuarial.projection.project_term_cashflows` on exactly those inputs — every cash flow of every
model point in every month, then summed by month — and compares each column month by month.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from actuarial_lifelib_basicterm import BENCH_PYTHON, ROOT, export_inputs, load_basicterm

COLUMNS = ("Premiums", "Claims", "Expenses", "Commissions", "Net Cashflow")


def lifelib_worker(out_dir: Path, repeat: int) -> None:
    """Runs inside .bench-venv: time ``result_cf()`` and export its columns and the model's inputs."""
    import numpy as np

    model, _ = load_basicterm()
    runs, frame = [], None
    for _ in range(repeat):
        model.clear_all()  # type: ignore[attr-defined]
        start = time.perf_counter()
        frame = model.Projection.result_cf()  # type: ignore[attr-defined]
        runs.append(time.perf_counter() - start)
    assert frame is not None
    export_inputs(model, out_dir / "inputs.npz", **{f"cf_{n}": frame[n].to_numpy(np.float64) for n in frame.columns})
    (out_dir / "lifelib.json").write_text(json.dumps({"runs": runs, "columns": list(frame.columns)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lifelib-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lifelib_worker:
        lifelib_worker(args.lifelib_worker, args.repeat)
        return 0
    if not BENCH_PYTHON.exists():
        print(f"missing {BENCH_PYTHON}: see the module docstring")
        return 2
    import numpy as np

    sys.path.insert(0, str(ROOT / "src"))
    from jiabao.actuarial.projection import TermProjectionBasis, lapse_rates_basicterm, project_term_cashflows

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [str(BENCH_PYTHON), __file__, "--lifelib-worker", str(out), "--repeat", str(args.repeat)], check=True
        )
        peer = json.loads((out / "lifelib.json").read_text())
        data = dict(np.load(out / "inputs.npz"))
    runs, flows = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        basis = TermProjectionBasis(
            mortality=data["mortality"],
            mortality_min_age=int(data["mortality_min_age"]),
            annual_spot_rates=data["disc_rate_ann"],
            lapse_by_duration=lapse_rates_basicterm(int(data["policy_term"].max()) + 1),
        )
        flows = project_term_cashflows(
            basis, age_at_entry=data["age_at_entry"], policy_term=data["policy_term"], sum_assured=data["sum_assured"]
        )
        ours = flows.by_month()
        runs.append(time.perf_counter() - start)
    assert flows is not None
    print(
        f"model points: {len(data['age_at_entry']):,}, months: {flows.premiums.shape[1]}, "
        f"lifelib columns {peer['columns']}"
    )
    ok = True
    for name in COLUMNS:
        theirs = data[f"cf_{name}"]
        mine = ours[name][: len(theirs)]
        rel_total = abs(mine.sum() - theirs.sum()) / abs(theirs.sum())
        worst = float(np.max(np.abs(mine - theirs)) / np.max(np.abs(theirs)))
        ok = ok and rel_total <= 1e-9 and worst <= 1e-9
        print(
            f"{name:13s} Σ lifelib {theirs.sum():>22,.6f}  Σ jiabao {mine.sum():>22,.6f}  "
            f"rel {rel_total:.1e}  worst month rel {worst:.1e}"
        )
    ours_med, peer_med = statistics.median(runs), statistics.median(peer["runs"])
    print(f"lifelib  result_cf(): median {peer_med * 1000:.1f} ms, runs {[round(r * 1000, 1) for r in peer['runs']]}")
    print(
        f"jiabao   project_term_cashflows() + by_month(): median {ours_med * 1000:.1f} ms, "
        f"runs {[round(r * 1000, 1) for r in runs]}"
    )
    print(f"ratio    jiabao / lifelib = {ours_med / peer_med:.3f}")
    print("RESULT", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
