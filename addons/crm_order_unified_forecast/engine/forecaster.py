"""Forecast one series: choose its method by rolling-origin backtest.

Plain Python and numpy (no Odoo): ``cou.forecast`` feeds it the series it
reads from the database, ``bench/forecast_quality.py`` the real files.

The steps, for a series ``y`` of complete periods (oldest first):

1. Leading zeros are dropped (a product starts when it first sells).
2. The series is classified: ``empty`` (never sold), ``inactive`` (nothing in
   the last full season: no longer sold, forecast 0), ``new`` (fewer than 3
   periods: its mean), ``intermittent`` (average interval between demands of
   1.32 periods or more, Syntetos-Boylan) or ``smooth``.
3. The candidates of its class that its length allows are backtested on the
   same rolling origins (the last ``origins`` periods, each forecasting up to
   ``horizon`` periods ahead, never past the data), scored by sMAPE when the
   actuals hold no zero and by MASE otherwise (sMAPE is 200% on every zero),
   and the best one forecasts. Without any backtest origin the default of
   the class is used.
4. The prediction interval comes from the backtest errors of the chosen
   method at each step ahead (split-conformal), or from the library's naive
   model's interval when there are fewer than 3 errors.
"""

from dataclasses import dataclass, field

import numpy as np

from . import candidates as cand

SMOOTH_CANDIDATES = (
    "snaive",
    "snaive_adj",
    "ets",
    "theta",
    "comb_ets_theta",
    "comb_snaive_theta",
    "comb_ets_theta_snaive_adj",
)
# Many series at once (products): AutoETS costs 20-50 ms a fit, 30 times
# Theta, and did no better than Theta on product series; it is left out.
FAST_SMOOTH_CANDIDATES = ("snaive", "snaive_adj", "theta", "comb_snaive_theta")
INTERMITTENT_CANDIDATES = (
    "snaive",
    "snaive_adj",
    "croston_sba",
    "tsb",
    "adida",
    "imapa",
    "comb_croston_sba_tsb_adida",
)
# first one the series' length allows
DEFAULT_METHODS = {
    "smooth": ("comb_snaive_theta", "comb_ets_theta", "theta"),
    # an aggregate (company, category, segment) cancels the noise of its
    # products: what is left is mostly seasonality, seasonal-naive's strength
    "aggregate": ("snaive", "comb_ets_theta", "theta"),
    "intermittent": ("comb_croston_sba_tsb_adida", "croston_sba"),
}
INTERMITTENT_ADI = 1.32


@dataclass
class ForecastResult:
    method: str
    kind: str
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    smape: float = None  # backtest sMAPE of the chosen method, percent (0-200)
    mase: float = None  # backtest MASE of the chosen method
    scores: dict = field(default_factory=dict)  # backtest score of every candidate


# ---------------------------------------------------------------
# Error measures
# ---------------------------------------------------------------


def smape(actual, forecast):
    """Symmetric MAPE in percent (0-200); a zero forecast of a zero actual
    is a perfect forecast."""
    actual = np.asarray(actual, float)
    forecast = np.asarray(forecast, float)
    denominator = np.abs(actual) + np.abs(forecast)
    with np.errstate(all="ignore"):
        values = np.where(
            denominator > 0, 200.0 * np.abs(actual - forecast) / denominator, 0.0
        )
    return float(np.mean(values))


def mase_scale(y, m):
    """Mean absolute error of the in-sample seasonal-naive (naive when the
    series is shorter than a season and a period); 1 for a flat series."""
    y = np.asarray(y, float)
    lag = m if len(y) > m else 1
    if len(y) <= lag:
        return 1.0
    scale = float(np.mean(np.abs(y[lag:] - y[:-lag])))
    return scale if scale > 0 else (float(np.mean(np.abs(y))) or 1.0)


def mase(actual, forecast, scale):
    return float(
        np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float))) / scale
    )


# ---------------------------------------------------------------
# Classification
# ---------------------------------------------------------------


def classify(y, m):
    """``(kind, trimmed series)``, see the module's docstring."""
    y = np.asarray(y, float)
    nonzero = np.flatnonzero(y)
    if not len(nonzero):
        return "empty", y[:0]
    y = y[nonzero[0] :]
    if len(y) > m and not np.any(y[-m:]):
        return "inactive", y
    if len(y) < 3:
        return "new", y
    demands = np.count_nonzero(y)
    if len(y) / demands >= INTERMITTENT_ADI:
        return "intermittent", y
    return "smooth", y


def _default_method(kind, n, m, names, aggregate=False):
    """The method of a series too short to backtest its candidates."""
    for name in DEFAULT_METHODS[
        "aggregate" if aggregate and kind == "smooth" else kind
    ]:
        if name in names and cand.CANDIDATES[name].min_length(m) <= n:
            return name
    if kind != "smooth":
        return "croston_sba"
    # shorter than theta needs (three periods): seasonal-naive, the last value
    return "theta" if cand.CANDIDATES["theta"].min_length(m) <= n else "snaive"


# ---------------------------------------------------------------
# Backtest and forecast
# ---------------------------------------------------------------


def backtest(y, m, horizon, names, origins, extra=None):
    """Rolling-origin backtest of the candidates ``names`` on the same
    origins: ``({name: [(step, actual, forecast), ...]}, origins used)``."""
    n = len(y)
    known = {**cand.CANDIDATES, **(extra or {})}
    first = max(max(known[name].min_length(m) for name in names), 3)
    starts = [t for t in range(max(first, n - origins), n)]
    errors = {name: [] for name in names}
    for t in starts:
        train = y[:t]
        steps = min(horizon, n - t)
        for name, forecast in cand.forecast_many(names, train, steps, m, extra).items():
            forecast = np.maximum(forecast, 0.0)
            errors[name].extend(
                (step, y[t + step], forecast[step]) for step in range(steps)
            )
    return errors, starts


def _score(rows, scale, by_smape):
    actual = np.array([row[1] for row in rows])
    forecast = np.array([row[2] for row in rows])
    if np.isnan(forecast).any():
        return np.inf, np.inf, np.inf
    s, q = smape(actual, forecast), mase(actual, forecast, scale)
    return (s if by_smape else q), s, q


def _combined_rows(errors, names):
    """Backtest rows of the mean of several candidates (same origins, same order)."""
    return [
        (group[0][0], group[0][1], float(np.mean([row[2] for row in group])))
        for group in zip(*(errors[name] for name in names), strict=True)
    ]


def _interval(rows, mean, y, m, level):
    horizon = len(mean)
    lower, upper = np.empty(horizon), np.empty(horizon)
    all_errors = (
        np.array([abs(row[1] - row[2]) for row in rows]) if rows else np.array([])
    )
    native = None
    for step in range(horizon):
        errors = np.array([abs(row[1] - row[2]) for row in rows if row[0] == step])
        if len(errors) < 3:
            errors = all_errors
        if len(errors) >= 3:
            width = float(np.quantile(errors, level / 100.0))
            lower[step], upper[step] = mean[step] - width, mean[step] + width
        else:
            if native is None:
                native = (
                    cand.native_interval(y, horizon, m, level)
                    if len(y)
                    else (mean, mean)
                )
            # the naive model's interval, centred on this method's forecast
            half = (native[1][step] - native[0][step]) / 2.0
            lower[step], upper[step] = mean[step] - half, mean[step] + half
    return np.maximum(lower, 0.0), np.maximum(upper, mean)


def _prepare(y, m, driver):
    """``(kind, {name: driver candidate}, trimmed series)``: the driver's
    values are cut like the series' leading zeros."""
    length = len(y)
    kind, y = classify(y, m)
    extra = {}
    if driver is not None and kind in ("smooth", "intermittent"):
        values = np.asarray(driver, float)[length - len(y) :]
        extra["arima_x"] = cand.driver_candidate(values)
    return kind, extra, y


def _fallback(y, m, horizon, tried):
    """``([name], {name: forecast})`` when none of the methods ``tried``
    could fit (a library model refusing the series): theta on less than a
    season unless it was tried, else seasonal-naive, which always answers
    (the last value on less than a season)."""
    if len(y) < m and "theta" not in tried:
        forecast = cand.forecast_many(["theta"], y, horizon, m)["theta"]
        if not np.isnan(forecast).any():
            return ["theta"], {"theta": forecast}
    return ["snaive"], {"snaive": cand.seasonal_naive(y, horizon, m)}


def forecast_series(
    y,
    m,
    horizon,
    origins=6,
    level=80,
    methods=None,
    min_origins=3,
    top=1,
    fast=False,
    aggregate=False,
    margin=0.05,
    driver=None,
):
    """Forecast ``horizon`` periods after the series ``y`` (complete
    periods, oldest first, non-negative) of season length ``m``.

    :param origins: number of rolling origins of the backtest
    :param level: prediction interval coverage, percent
    :param methods: restrict the candidates (tests, benchmarks)
    :param min_origins: fewest common backtest origins to choose on
    :param top: average the ``top`` best candidates (1: the best one)
    :param fast: leave out the slow candidates (many series, e.g. products)
    :param margin: relative backtest improvement a candidate needs to
        replace the default method (evidence over a few origins is noisy)
    :param driver: optional external driver (e.g. a temperature), one value
        per period of ``y`` followed by its ``horizon`` next values: adds the
        candidate ``arima_x``, which the backtest keeps only where it helps
    :param aggregate: the series sums many others (company, category,
        segment): seasonal-naive, not a combination, when too short to choose
    :return: :class:`ForecastResult`
    """
    kind, extra, y = _prepare(y, m, driver)
    zeros = np.zeros(horizon)
    if kind in ("empty", "inactive"):
        return ForecastResult("zero", kind, zeros, zeros.copy(), zeros.copy())
    if kind == "new":
        mean = np.full(horizon, float(np.mean(y)))
        lower, upper = _interval([], mean, y, m, level)
        return ForecastResult("mean", kind, mean, lower, upper)

    if kind == "intermittent":
        names = INTERMITTENT_CANDIDATES
    else:
        names = FAST_SMOOTH_CANDIDATES if fast else SMOOTH_CANDIDATES
    names = tuple(names) + tuple(extra)
    if methods:
        names = tuple(name for name in names if name in methods) or tuple(methods)
    n = len(y)
    known = {**cand.CANDIDATES, **extra}
    names = [name for name in names if known[name].min_length(m) <= n]
    if not names:
        names = [_default_method(kind, n, m, DEFAULT_METHODS[kind])]
    # all candidates on the same origins; without at least ``min_origins`` of
    # them the evidence is too thin to choose: the class's default combination
    errors, starts = backtest(y, m, horizon, names, origins, extra)
    scores, ranked = {}, []
    if len(starts) >= min_origins:
        rows_all = [row for rows in errors.values() for row in rows]
        by_smape = all(row[1] > 0 for row in rows_all)
        scale = mase_scale(y[: starts[0]], m)
        for name in names:
            key, s, q = _score(errors[name], scale, by_smape)
            scores[name] = {"smape": s, "mase": q}
            if np.isfinite(key):
                ranked.append((key, name))
    ranked.sort()
    # the default stays unless a candidate beats it by ``margin`` in the backtest
    default = _default_method(kind, n, m, names, aggregate)
    default_key = next((key for key, name in ranked if name == default), None)
    if ranked and default_key is not None and ranked[0][0] > (1 - margin) * default_key:
        ranked = [(default_key, default)]
    chosen_names = [name for _key, name in ranked[:top]]
    if not chosen_names:
        chosen_names = [_default_method(kind, n, m, names, aggregate)]
    finals = cand.forecast_many(chosen_names, y, horizon, m, extra)
    finals = {name: f for name, f in finals.items() if not np.isnan(f).any()}
    if not finals:
        chosen_names, finals = _fallback(y, m, horizon, chosen_names)
    chosen_names = [name for name in chosen_names if name in finals]
    chosen = "+".join(chosen_names)
    mean = np.maximum(np.mean([finals[name] for name in chosen_names], axis=0), 0.0)
    if len(chosen_names) > 1 and errors:
        rows = _combined_rows(errors, chosen_names)
        if starts:
            scale = mase_scale(y[: starts[0]], m)
            _key, s, q = _score(rows, scale, True)
            scores[chosen] = {"smape": s, "mase": q}
    else:
        rows = errors.get(chosen, [])
    lower, upper = _interval(rows, mean, y, m, level)
    result = ForecastResult(chosen, kind, mean, lower, upper, scores=scores)
    if chosen in scores:
        result.smape = scores[chosen]["smape"]
        result.mase = scores[chosen]["mase"]
    return result


def forecast_with_method(method, y, m, horizon, driver=None):
    """Forecast ``y`` with a method chosen on another measure of the same
    series (a product's revenue and order count follow its quantity's
    method): ``method`` as in :attr:`ForecastResult.method`."""
    kind, extra, y = _prepare(y, m, driver)
    known = {**cand.CANDIDATES, **extra}
    if method == "zero" or kind in ("empty", "inactive"):
        return np.zeros(horizon)
    if method == "mean" or kind == "new":
        return np.full(horizon, float(np.mean(y)))
    names = [
        name
        for name in method.split("+")
        if name in known and known[name].min_length(m) <= len(y)
    ]
    forecasts = [
        f
        for f in cand.forecast_many(names, y, horizon, m, extra).values()
        if not np.isnan(f).any()
    ]
    if not forecasts:
        forecasts = [cand.seasonal_naive(y, horizon, m)]
    return np.maximum(np.mean(forecasts, axis=0), 0.0)
