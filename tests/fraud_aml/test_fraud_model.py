"""The claims fraud model: trained on labelled history with the rule inputs as features, calibrated, measured on
a held-out set; rules alone until enough labels exist."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from jiabao.risk.fraud import model as fm
from jiabao.risk.fraud import synthetic


@pytest.fixture(scope="module")
def trained() -> fm.TrainedModel:
    history = synthetic.generate(6000, seed=7)
    return fm.train(history.x, history.y, version="test", seed=1)


def test_calibrated_on_the_held_out_set(trained: fm.TrainedModel) -> None:
    """Expected calibration error below 4 points; in every quantile bin the mean prediction is within three
    standard errors (plus 2 points) of the fraud share actually observed in it."""
    assert trained.ece < 0.04
    assert 5 <= len(trained.bins) <= 10
    for predicted, observed, n in trained.bins:
        assert n >= 50
        tolerance = 3 * (predicted * (1 - predicted) / n) ** 0.5 + 0.02
        assert abs(predicted - observed) < tolerance, (predicted, observed, n)
    assert trained.brier < trained.base_brier


def test_calibrated_on_a_fresh_sample(trained: fm.TrainedModel) -> None:
    fresh = synthetic.generate(4000, seed=99)
    ece, _ = fm.reliability(trained, fresh.x, fresh.y)
    assert ece < 0.04
    # calibration in the large: the mean probability matches the fraud rate
    mean_p = np.mean([fm.predict(trained, list(row)) for row in fresh.x[:1000]])
    assert abs(mean_p - fresh.y[:1000].mean()) < 0.03


def test_auc_close_to_the_best_possible(trained: fm.TrainedModel) -> None:
    """The generator's true probabilities give the best AUC any model could reach; ours is within 0.08."""
    fresh = synthetic.generate(4000, seed=99)
    best = roc_auc_score(fresh.y, fresh.p)
    ours = roc_auc_score(fresh.y, trained.estimator.predict_proba(fresh.x)[:, 1])
    assert ours > 0.7 and best - ours < 0.08
    assert trained.auc > 0.7 and trained.n_test == 1500


def test_explanations_name_the_features_that_moved_the_claim(trained: fm.TrainedModel) -> None:
    fresh = synthetic.generate(200, seed=5)
    riskiest = int(np.argmax(fresh.p))
    effects = fm.explain(trained, list(fresh.x[riskiest]))
    assert effects and all(name in trained.features for name, _ in effects)
    assert any(effect > 0 for _, effect in effects)


def test_rules_decide_until_enough_labels() -> None:
    assert not fm.enough_labels([0] * 300)
    assert not fm.enough_labels([1] * 19 + [0] * 300)
    assert not fm.enough_labels([1] * 50 + [0] * 100)
    assert fm.enough_labels([1] * 20 + [0] * 180)
    history = synthetic.generate(150, seed=1)
    with pytest.raises(ValueError):
        fm.train(history.x, history.y, version="small")


def test_stored_model_is_checked_before_loading(trained: fm.TrainedModel) -> None:
    blob, digest = fm.dumps(trained)
    assert fm.loads(blob, digest).version == "test"
    with pytest.raises(ValueError):
        fm.loads(blob + b"x", digest)
