"""Peer benchmark: lifelib ``basiclife.BasicTerm_M`` vs Jiabao's monthly term projection, side by side.

Run from the repository root with the main venv::

    .venv/bin/python benchmarks/actuarial_lifelib_basicterm.py [--repeat 5]

The script starts ``.bench-venv/bin/python`` (``pip install lifelib modelx openpyxl pandas``; never committed)
as a worker that loads lifelib's own BasicTerm_M model from the installed package, times ``result_pv()`` and
exports lifelib's 10,000 sample model points, mortality table and discount curve to a temporary ``.npz``. The
main process then runs :func:`jiabao.actuarial.projection.project_term` on exactly those inputs, checks the
total present value of net cash flows against lifelib's (1e-9 relative) and prints both timings and the ratio.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_PYTHON = ROOT / ".bench-venv" / "bin" / "python"
PUBLISHED_TOTAL = 14_489_630.534603  # actuarialopensource/benchmarks, GitHub runners (actuarial.md §2.4)


def load_basicterm() -> tuple[object, float]:
    """Inside .bench-venv: lifelib's own BasicTerm_M model, read from the installed package, and its load time."""
    import os

    import lifelib  # type: ignore[import-not-found]
    import modelx as mx  # type: ignore[import-not-found]

    path = os.path.join(os.path.dirname(lifelib.__file__), "libraries", "basiclife", "BasicTerm_M")
    start = time.perf_counter()
    model = mx.read_model(path)
    return model, time.perf_counter() - start


def export_inputs(model: Any, target: Path, **extra: Any) -> None:
    """Inside .bench-venv: the model points, mortality table and discount curve (plus ``extra`` arrays) to .npz."""
    import numpy as np

    proj = model.Projection
    mps, mort = proj.model_point_table, proj.mort_table
    np.savez(
        target,
        age_at_entry=mps["age_at_entry"].to_numpy(np.int64),
        policy_term=mps["policy_term"].to_numpy(np.int64),
        sum_assured=mps["sum_assured"].to_numpy(np.float64),
        mortality=mort.to_numpy(np.float64),
        mortality_min_age=np.int64(mort.index.min()),
        disc_rate_ann=proj.disc_rate_ann.to_numpy(np.float64),
        **extra,
    )


def lifelib_worker(out_dir: Path, repeat: int) -> None:
    """Runs inside .bench-venv: time lifelib and export its inputs."""
    import lifelib
    import modelx as mx

    model, load_s = load_basicterm()
    runs, total = [], 0.0
    for _ in range(repeat):
        model.clear_all()  # type: ignore[attr-defined]
        start = time.perf_counter()
        total = float(model.Projection.result_pv()["PV Net Cashflow"].sum())  # type: ignore[attr-defined]
        runs.append(time.perf_counter() - start)
    export_inputs(model, out_dir / "inputs.npz")
    result = {
        "total": total,
        "runs": runs,
        "load_s": load_s,
        "lifelib": lifelib.__version__,
        "modelx": mx.VERSION,
    }
    (out_dir / "lifelib.json").write_text(json.dumps(result))


def run_ours(inputs: Path, repeat: int) -> tuple[float, list[float]]:
    import numpy as np

    sys.path.insert(0, str(ROOT / "src"))
    from jiabao.actuarial.projection import TermProjectionBasis, lapse_rates_basicterm, project_term

    data = np.load(inputs)
    runs, total = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        basis = TermProjectionBasis(
            mortality=data["mortality"],
            mortality_min_age=int(data["mortality_min_age"]),
            annual_spot_rates=data["disc_rate_ann"],
            lapse_by_duration=lapse_rates_basicterm(int(data["policy_term"].max()) + 1),
        )
        result = project_term(
            basis,
            age_at_entry=data["age_at_entry"],
            policy_term=data["policy_term"],
            sum_assured=data["sum_assured"],
        )
        total = float(result.pv_net_cf.sum())
        runs.append(time.perf_counter() - start)
    return total, runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lifelib-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lifelib_worker:
        lifelib_worker(args.lifelib_worker, args.repeat)
        return 0
    if not BENCH_PYTHON.exists():
        print(
            f"missing {BENCH_PYTHON}: python3.11 -m venv .bench-venv"
            " && .bench-venv/bin/pip install lifelib modelx openpyxl pandas"
        )
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cmd = [str(BENCH_PYTHON), __file__, "--lifelib-worker", str(out), "--repeat", str(args.repeat)]
        subprocess.run(cmd, check=True)
        peer = json.loads((out / "lifelib.json").read_text())
        ours_total, ours_runs = run_ours(out / "inputs.npz", args.repeat)
    rel = abs(ours_total - peer["total"]) / abs(peer["total"])
    ours_med, peer_med = statistics.median(ours_runs), statistics.median(peer["runs"])
    print(f"model points: 10,000   lifelib {peer['lifelib']} / modelx {peer['modelx']}")
    print(f"lifelib  Σ PV net CF = {peer['total']:,.6f}   (published {PUBLISHED_TOTAL:,.6f})")
    print(f"jiabao   Σ PV net CF = {ours_total:,.6f}   relative difference {rel:.2e}")
    peer_runs = [round(r * 1000, 1) for r in peer["runs"]]
    print(f"lifelib  result_pv(): median {peer_med * 1000:.1f} ms, runs {peer_runs}")
    print(f"         (model load {peer['load_s'] * 1000:.0f} ms, first run includes warm-up)")
    our_runs = [round(r * 1000, 1) for r in ours_runs]
    print(f"jiabao   project_term(): median {ours_med * 1000:.1f} ms, runs {our_runs}")
    print(f"ratio    jiabao / lifelib = {ours_med / peer_med:.3f}  (target ≤ 0.200)")
    ok = rel <= 1e-9 and ours_med <= peer_med / 5
    print("RESULT", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
