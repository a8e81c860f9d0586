"""The complaint text classifier (投诉自动分类): character n-grams (1–3) of the Chinese text, TF-IDF weighted, and
a linear model (logistic regression fitted by stochastic gradient descent, scikit-learn; fast enough to
train on first use). Pure: it is trained on labelled texts handed to it.

It only **suggests** a category and sub-category with a score; a person confirms (the complaint keeps both the
suggestion and the confirmed category, and who confirmed it). The labels are ``category.subcategory``; the
category is the part before the dot."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline

MODEL_VERSION = "char-ngram-1-3+sgd-logistic/v1"


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str
    subcategory: str
    score: float
    """The model's probability for the suggested label (0–1)."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    train_size: int
    test_size: int
    label_accuracy: float
    """Category and sub-category both right, on the held-out set."""
    category_accuracy: float


class ComplaintClassifier:
    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str]) -> ComplaintClassifier:
        if len(set(labels)) < 2:
            raise ValueError("the classifier needs at least two labels to learn from")
        pipeline = Pipeline(
            [
                ("ngrams", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
                (
                    "model",
                    SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=50, tol=None, random_state=0),
                ),
            ]
        )
        pipeline.fit(list(texts), list(labels))
        return cls(pipeline)

    def suggest(self, text: str) -> Suggestion:
        probabilities = self._pipeline.predict_proba([text])[0]
        best = int(probabilities.argmax())
        label = str(self._pipeline.classes_[best])
        category, _, sub = label.partition(".")
        return Suggestion(category, sub, round(float(probabilities[best]), 4))

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [str(x) for x in self._pipeline.predict(list(texts))]


def held_out_split(
    texts: Sequence[str], labels: Sequence[str], *, test_share: float = 0.2, seed: int = 7
) -> tuple[list[str], list[str], list[str], list[str]]:
    """A stratified split: ``test_share`` of every label is held out (at least one when a label has two or more)."""
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    rng = random.Random(seed)
    train_x, train_y, test_x, test_y = [], [], [], []
    for label, items in sorted(by_label.items()):
        items = items[:]
        rng.shuffle(items)
        k = max(1, round(len(items) * test_share)) if len(items) >= 2 else 0
        test_x += items[:k]
        test_y += [label] * k
        train_x += items[k:]
        train_y += [label] * (len(items) - k)
    return train_x, train_y, test_x, test_y


def evaluate(texts: Sequence[str], labels: Sequence[str], *, test_share: float = 0.2) -> Evaluation:
    """Train on the rest, measure on the held-out share: label accuracy and category accuracy."""
    train_x, train_y, test_x, test_y = held_out_split(texts, labels, test_share=test_share)
    model = ComplaintClassifier.train(train_x, train_y)
    predicted = model.predict(test_x)
    exact = sum(p == t for p, t in zip(predicted, test_y, strict=True))
    category = sum(p.split(".")[0] == t.split(".")[0] for p, t in zip(predicted, test_y, strict=True))
    n = max(1, len(test_y))
    return Evaluation(len(train_y), len(test_y), round(exact / n, 4), round(category / n, 4))
