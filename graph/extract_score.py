"""Weigh a candidate's features into the probability that it is a partner: a logistic regression.

The weights are fitted on reviewed gold (the seed pages' records and the development pages' list) by
``python -m bench.extract_eval --fit`` and kept in extract_data/weights.json; they are never set by hand.
The evaluation refits them without the page it scores (leave one page out).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "extract_data" / "weights.json"
L2 = 1.0
STEPS = 3000
RATE = 0.5
THRESHOLD = 0.5


@dataclass(frozen=True)
class Model:
    """Feature weights and a bias; ``names`` fixes the order of the features."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = THRESHOLD

    def probability(self, features: dict[str, float]) -> float:
        """Return the probability that a candidate with ``features`` is a partner."""
        z = self.bias + sum(w * features.get(n, 0.0) for n, w in zip(self.names, self.weights, strict=True))
        return float(1 / (1 + np.exp(-z)))

    def as_json(self) -> dict[str, object]:
        return {
            "bias": self.bias,
            "threshold": self.threshold,
            "weights": dict(zip(self.names, self.weights, strict=True)),
        }


def fit(rows: list[dict[str, float]], labels: list[bool]) -> Model:
    """Fit a logistic regression with an L2 penalty by gradient descent (features are 0..1 already)."""
    names = tuple(sorted({n for r in rows for n in r}))
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows], dtype=float)
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    b = 0.0
    count = max(len(y), 1)
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad_w = x.T @ (p - y) / count + L2 * w / count
        grad_b = float(np.sum(p - y)) / count
        w -= RATE * grad_w
        b -= RATE * grad_b
    return Model(names, tuple(round(float(v), 4) for v in w), round(b, 4))


def save(model: Model, path: Path = WEIGHTS) -> None:
    """Write a fitted model as JSON."""
    path.write_text(json.dumps(model.as_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


@cache
def load(path: Path = WEIGHTS) -> Model:
    """Read the fitted model kept with the package."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = tuple(sorted(data["weights"]))
    return Model(names, tuple(float(data["weights"][n]) for n in names), float(data["bias"]), data["threshold"])
