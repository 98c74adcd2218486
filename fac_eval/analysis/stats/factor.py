"""One-factor maximum-likelihood factor analysis of a correlation matrix (for McDonald's omega).

The fit is R's ``stats::factanal`` for one factor (Lawley & Maxwell 1971, Joreskog 1967): for
uniquenesses ``psi``, the loadings that maximise the likelihood are
``sqrt(psi) * v * sqrt(max(theta - 1, 0))`` where ``theta`` / ``v`` are the largest eigenvalue /
eigenvector of ``Psi^-1/2 R Psi^-1/2``; the discrepancy
``F(psi) = -(sum_{j>1} (log theta_j - theta_j) - 1 + p)`` is then minimised over ``psi`` in
``[lower, 1]`` (L-BFGS-B, factanal's analytic gradient and starting values
``(1 - 0.5 / p) / diag(R^-1)``). It is deterministic: no random start.

A uniqueness that stops at ``lower`` is a Heywood case: the likelihood would be higher still with
that uniqueness at 0 or below, i.e. with a standardised loading of 1 (or more); the solution is
then improper (an item is taken for the factor itself), common with few respondents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: factanal's lower bound of a uniqueness.
LOWER = 0.005


@dataclass(frozen=True)
class OneFactorFit:
    """``loadings`` and ``uniquenesses`` (standardised), the minimised discrepancy ``F``, whether
    the optimiser ``converged``, and the items whose uniqueness is at the lower bound
    (``heywood``: their indices)."""

    loadings: np.ndarray
    uniquenesses: np.ndarray
    discrepancy: float
    converged: bool
    heywood: tuple[int, ...]


def _loadings(psi: np.ndarray, corr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = 1 / np.sqrt(psi)
    theta, vectors = np.linalg.eigh(corr * np.outer(s, s))  # ascending eigenvalues
    lam = np.sqrt(psi) * vectors[:, -1] * np.sqrt(max(theta[-1] - 1, 0.0))
    return lam, theta


def _discrepancy(psi: np.ndarray, corr: np.ndarray) -> float:
    _, theta = _loadings(psi, corr)
    rest = theta[:-1]
    return float(-(np.sum(np.log(rest) - rest) - 1 + len(psi)))


def _gradient(psi: np.ndarray, corr: np.ndarray) -> np.ndarray:
    lam, _ = _loadings(psi, corr)
    g = np.outer(lam, lam) + np.diag(psi) - corr
    return np.diag(g) / psi ** 2


def one_factor_ml(corr, lower: float = LOWER) -> OneFactorFit:
    """The one-factor maximum-likelihood fit of the correlation matrix ``corr`` (p >= 3 items).

    Raises :class:`numpy.linalg.LinAlgError` for a singular matrix. The factor's sign is chosen
    so that the loadings sum to a positive number.
    """
    from scipy.optimize import minimize

    corr = np.asarray(corr, dtype=float)
    p = corr.shape[0]
    start = np.clip((1 - 0.5 / p) / np.diag(np.linalg.inv(corr)), lower, 1.0)
    res = minimize(_discrepancy, start, args=(corr,), jac=_gradient, method="L-BFGS-B",
                   bounds=[(lower, 1.0)] * p,
                   options={"maxiter": 1000, "ftol": 1e-14, "gtol": 1e-10})
    psi = np.asarray(res.x, dtype=float)
    # converged: the gradient is 0 but where a bound holds the uniqueness back (the line search
    # may stop "abnormally" at the very optimum, with such tight tolerances)
    g = _gradient(psi, corr)
    free = ~(((psi <= lower * (1 + 1e-6)) & (g > 0)) | ((psi >= 1 - 1e-9) & (g < 0)))
    converged = bool(res.success) or bool(np.max(np.abs(g[free]), initial=0.0) < 1e-5)
    lam, _ = _loadings(psi, corr)
    if lam.sum() < 0:
        lam = -lam
    heywood = tuple(int(i) for i in np.flatnonzero(psi <= lower * (1 + 1e-6)))
    return OneFactorFit(lam, psi, float(res.fun), converged, heywood)
