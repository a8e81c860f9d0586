"""The complaint text classifier (character n-grams + logistic regression): accuracy on held-out texts."""

from __future__ import annotations

from jiabao.voice import corpus
from jiabao.voice.classifier import ComplaintClassifier, evaluate


def test_held_out_accuracy_on_new_sentences() -> None:
    texts, labels = corpus.generate(1150, seed=1)
    result = evaluate(texts, labels, test_share=0.2)
    print(f"held-out (new sentences): {result}")
    assert result.test_size >= 200
    assert result.label_accuracy >= 0.95
    assert result.category_accuracy >= 0.97


def test_held_out_accuracy_on_unseen_wording() -> None:
    # trained without the last phrase of every label, tested only on sentences built from it: the honest figure
    # for words the model has never seen (chance is 1/23 labels, 1/7 categories)
    model = ComplaintClassifier.train(*corpus.generate(1150, seed=1, unseen=False))
    texts, labels = corpus.generate(230, seed=99, unseen=True)
    predicted = model.predict(texts)
    category = sum(p.split(".")[0] == t.split(".")[0] for p, t in zip(predicted, labels, strict=True)) / len(labels)
    exact = sum(p == t for p, t in zip(predicted, labels, strict=True)) / len(labels)
    print(f"unseen wording: label {exact:.3f}, category {category:.3f}")
    assert category >= 0.5 and exact >= 0.4


def test_suggestion_for_a_claims_complaint() -> None:
    model = ComplaintClassifier.train(*corpus.generate(1150, seed=3))
    suggestion = model.suggest("我父亲住院后申请理赔，保险公司说不在保险责任范围拒赔")
    assert (suggestion.category, suggestion.subcategory) == ("claims", "declined")
    assert 0 < suggestion.score <= 1
