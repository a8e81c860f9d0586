"""The claims fraud model, pure: scikit-learn's histogram gradient boosting on the rule features, calibrated
(isotonic, fitted on 3-fold cross-validated predictions; one booster at prediction time), evaluated on a
held-out quarter (AUC, Brier score, reliability bins and the expected calibration error), with an explanation
per claim.

Explanations are occlusion attributions: for each feature, how much the calibrated probability changes when that
feature alone is replaced by its training median. They add up only roughly to the difference from the baseline
(the model is not additive), which is why the page shows them as "raised / lowered the score by …".
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from threadpoolctl import ThreadpoolController

from jiabao.risk.fraud.claim_rules import FEATURES

MIN_LABELS = 200
MIN_POSITIVES = 20
"""Below this the rules alone decide: too few confirmed frauds to learn from, or to measure the model on."""
HELD_OUT = 0.25
_THREADS = ThreadpoolController()
"""OpenMP threads are limited to one around every fit and predict: on a shared 2-core machine the default
threads only contend (a one-row prediction took 1.8 s unlimited, 12 ms limited). Created once: building the
controller scans the loaded libraries (16 ms)."""


def _one_thread() -> Any:
    return _THREADS.limit(limits=1, user_api="openmp")


@dataclass
class TrainedModel:
    version: str
    estimator: Any
    medians: list[float]
    auc: float
    brier: float
    base_brier: float
    """The Brier score of always predicting the base rate: a useful model is below it."""
    ece: float
    bins: list[tuple[float, float, int]] = field(default_factory=list)
    """Reliability diagram on the held-out set: (mean predicted, observed fraud share, claims) per bin."""
    n_train: int = 0
    n_test: int = 0
    positives: int = 0
    features: tuple[str, ...] = FEATURES


def enough_labels(labels: list[int] | np.ndarray) -> bool:
    y = np.asarray(labels)
    return len(y) >= MIN_LABELS and int(y.sum()) >= MIN_POSITIVES and int((1 - y).sum()) >= MIN_POSITIVES


def _ece(prob: np.ndarray, y: np.ndarray, n_bins: int = 10) -> tuple[float, list[tuple[float, float, int]]]:
    # quantile bins; isotonic calibration gives tied values, so equal edges merge (fewer, never empty, bins)
    edges = np.unique(np.quantile(prob, np.linspace(0, 1, n_bins + 1)))
    n_bins = max(1, len(edges) - 1)
    idx = np.clip(np.searchsorted(edges[1:-1], prob, side="right"), 0, n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        mask = idx == b
        n = int(mask.sum())
        if n == 0:
            continue
        mean_p, frac = float(prob[mask].mean()), float(y[mask].mean())
        bins.append((round(mean_p, 4), round(frac, 4), n))
        ece += n / len(prob) * abs(mean_p - frac)
    return ece, bins


def train(x: np.ndarray, y: np.ndarray, *, version: str, seed: int = 0) -> TrainedModel:
    """Fit on three quarters (stratified), calibrate by cross-validation inside them, measure on the rest."""
    if not enough_labels(y):
        raise ValueError(f"need at least {MIN_LABELS} labels with {MIN_POSITIVES} of each class")
    with _one_thread():
        return _train(x, y, version=version, seed=seed)


def _train(x: np.ndarray, y: np.ndarray, *, version: str, seed: int) -> TrainedModel:
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=HELD_OUT, stratify=y, random_state=seed)
    booster = HistGradientBoostingClassifier(
        max_iter=60, learning_rate=0.1, max_leaf_nodes=8, min_samples_leaf=40, l2_regularization=1.0,
        random_state=seed,
    )  # fmt: skip
    estimator = CalibratedClassifierCV(booster, method="isotonic", cv=3, ensemble=False)
    estimator.fit(x_train, y_train)
    prob = estimator.predict_proba(x_test)[:, 1]
    ece, bins = _ece(prob, y_test)
    base = float(y_train.mean())
    return TrainedModel(
        version=version,
        estimator=estimator,
        medians=[float(v) for v in np.median(x_train, axis=0)],
        auc=float(roc_auc_score(y_test, prob)),
        brier=float(brier_score_loss(y_test, prob)),
        base_brier=float(brier_score_loss(y_test, np.full(len(y_test), base))),
        ece=float(ece),
        bins=bins,
        n_train=len(y_train),
        n_test=len(y_test),
        positives=int(y.sum()),
    )


def reliability(model: TrainedModel, x: np.ndarray, y: np.ndarray) -> tuple[float, list[tuple[float, float, int]]]:
    """Expected calibration error and bins on any labelled set (e.g. a fresh sample)."""
    with _one_thread():
        return _ece(model.estimator.predict_proba(x)[:, 1], np.asarray(y))


def predict(model: TrainedModel, row: list[float]) -> float:
    with _one_thread():
        return float(model.estimator.predict_proba(np.asarray([row]))[0, 1])


def explain(model: TrainedModel, row: list[float], top: int = 5) -> list[tuple[str, float]]:
    """The features that moved this claim's probability most, with the signed change each one made."""
    return predict_and_explain(model, row, top)[1]


def predict_and_explain(model: TrainedModel, row: list[float], top: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """The probability and its explanation from one batch: the row, then the row with each feature alone set
    to its training median."""
    variants = np.repeat(np.asarray([row], dtype=float), len(row) + 1, axis=0)
    for i, median in enumerate(model.medians):
        variants[i + 1, i] = median
    with _one_thread():
        probs = model.estimator.predict_proba(variants)[:, 1]
    base = float(probs[0])
    effects = [(model.features[i], round(base - float(probs[i + 1]), 4)) for i in range(len(row))]
    effects = [e for e in effects if abs(e[1]) >= 0.005]
    return base, sorted(effects, key=lambda e: -abs(e[1]))[:top]


def dumps(model: TrainedModel) -> tuple[bytes, str]:
    """The stored form and its SHA-256 (checked before loading)."""
    blob = pickle.dumps(model, protocol=5)
    return blob, hashlib.sha256(blob).hexdigest()


def loads(blob: bytes, digest: str) -> TrainedModel:
    if hashlib.sha256(blob).hexdigest() != digest:
        raise ValueError("the stored fraud model does not match its digest")
    model = pickle.loads(blob)  # noqa: S301 - our own table, digest checked
    if not isinstance(model, TrainedModel):
        raise ValueError("not a fraud model")
    return model
