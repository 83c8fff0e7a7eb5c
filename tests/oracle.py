"""Independent oracles for the tests: mpmath at 50 significant digits and ulp distances."""
from __future__ import annotations

import mpmath
import numpy as np

mpmath.mp.dps = 50


def ulp_error(got, truth_mp, dtype=np.float64) -> float:
    """Distance in units of the last place between ``got`` and an mpmath value.

    The ulp is the spacing of ``dtype`` at the (correctly rounded) true value, so
    subnormal results are measured in subnormal ulps. Infinities and NaN must match
    exactly (distance 0) or the distance is ``inf``.
    """
    got = dtype(got)
    truth_mp = mpmath.mpf(truth_mp)
    if mpmath.isnan(truth_mp):
        return 0.0 if np.isnan(got) else np.inf
    if mpmath.isinf(truth_mp):
        return 0.0 if got == (np.inf if truth_mp > 0 else -np.inf) else np.inf
    if not np.isfinite(got):
        return np.inf
    rounded = dtype(float(truth_mp))  # overflows to inf only when truly unrepresentable
    if not np.isfinite(rounded):
        return np.inf
    spacing = np.spacing(np.abs(rounded)) if rounded != 0 else np.spacing(dtype(0))
    return float(abs(mpmath.mpf(float(got)) - truth_mp) / mpmath.mpf(float(spacing)))


def max_ulp(got_array, truth_fn, xs, dtype=np.float64) -> tuple[float, float]:
    """Largest ulp error of ``got_array`` against ``truth_fn(mpf(x))`` over ``xs``; returns (ulp, x)."""
    worst, at = 0.0, float("nan")
    for g, x in zip(np.ravel(got_array), np.ravel(xs)):
        e = ulp_error(g, truth_fn(mpmath.mpf(float(x))), dtype)
        if e > worst:
            worst, at = e, float(x)
    return worst, at
