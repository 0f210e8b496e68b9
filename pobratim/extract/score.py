"""Weigh a candidate's features into the probability that it is a partner: a logistic regression.

The weights are fitted on reviewed gold (the seed pages' records and the development pages' list) by
``python -m bench.extract_eval --fit`` and kept in data/weights.json; they are never set by hand.
The evaluation refits them without the page it scores (leave one page out).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).parent / "data" / "weights.json"
# The penalty on the weights: leave-one-language-out F1 0.86 with 0.3, 0.88 with 1, 0.86 with 3, 0.85 with 10
# (docs/extractor.md); with fewer features read per page the scorer needs less shrinking than it once did.
L2 = 1.0
STEPS = 50
THRESHOLD = 0.5
# The floor of the "possible" band a reviewer is shown below the cut: at most this far below it.
POSSIBLE = 0.2


@dataclass(frozen=True)
class Model:
    """Feature weights and a bias; ``names`` fixes the order of the features."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = THRESHOLD
    possible: float = POSSIBLE  # candidates from here up to the cut are shown as possible, on request

    def probability(self, features: dict[str, float]) -> float:
        """Return the probability that a candidate with ``features`` is a partner."""
        z = self.bias + sum(w * features.get(n, 0.0) for n, w in zip(self.names, self.weights, strict=True))
        return float(1 / (1 + np.exp(-z)))

    def as_json(self) -> dict[str, object]:
        return {
            "bias": self.bias,
            "threshold": self.threshold,
            "possible": self.possible,
            "weights": dict(zip(self.names, self.weights, strict=True)),
        }


def fit(rows: list[dict[str, float]], labels: list[bool], groups: list[str] | None = None) -> Model:
    """Fit a logistic regression with an L2 penalty (features are 0..1 already).

    With ``groups`` (the page each row comes from), every page weighs the same in the fit, however many
    candidates it has: a long page of one layout must not teach the scorer that layout only.
    """
    names = tuple(sorted({n for r in rows for n in r}))
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows], dtype=float)
    y = np.array(labels, dtype=float)
    if groups:
        sizes = {g: groups.count(g) for g in set(groups)}
        sample = np.array([len(rows) / (len(sizes) * sizes[g]) for g in groups])
    else:
        sample = np.ones(len(rows))
    # Newton's method on the penalised log-likelihood; the bias (last column) is not penalised.
    x1 = np.hstack([x, np.ones((len(rows), 1))])
    penalty = np.full(len(names) + 1, L2)
    penalty[-1] = 0.0
    theta = np.zeros(len(names) + 1)
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(x1 @ theta)))
        grad = x1.T @ (sample * (p - y)) + penalty * theta
        hessian = (x1.T * (sample * p * (1 - p))) @ x1 + np.diag(penalty) + 1e-9 * np.eye(len(theta))
        step = np.linalg.solve(hessian, grad)
        theta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    w, b = theta[:-1], float(theta[-1])
    return Model(names, tuple(round(float(v), 4) for v in w), round(b, 4))


def choose_threshold(probabilities: list[float], labels: list[bool], beta: float = 1.0, low: float = 0.2) -> float:
    """The cut that gives the best F-beta on held-out candidates (probabilities from models that did not see
    them); the middle of the best run when several cuts tie. F1 chooses what is proposed; F2, which weighs
    recall twice, the floor of what a reviewer is shown as possible."""
    grid = [round(low + 0.05 * i, 2) for i in range(round((0.7 - low) / 0.05) + 1)]
    scores = []
    b2 = beta * beta
    for cut in grid:
        tp = sum(p >= cut and y for p, y in zip(probabilities, labels, strict=True))
        fp = sum(p >= cut and not y for p, y in zip(probabilities, labels, strict=True))
        fn = sum(p < cut and y for p, y in zip(probabilities, labels, strict=True))
        scores.append((1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0)
    best = max(scores)
    ties = [cut for cut, s in zip(grid, scores, strict=True) if s == best]
    return ties[len(ties) // 2]


def save(model: Model, path: Path = WEIGHTS) -> None:
    """Write a fitted model as JSON."""
    path.write_text(json.dumps(model.as_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


@cache
def load(path: Path = WEIGHTS) -> Model:
    """Read the fitted model kept with the package."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = tuple(sorted(data["weights"]))
    weights = tuple(float(data["weights"][n]) for n in names)
    return Model(names, weights, float(data["bias"]), data["threshold"], data.get("possible", POSSIBLE))
