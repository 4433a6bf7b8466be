"""Candidate forecasting methods of one series.

Every candidate is a function ``(y, h, m) -> numpy array of h point
forecasts`` with the shortest history it accepts. The statistical models are
statsforecast's (AutoETS, AutoTheta, Croston SBA, TSB, ADIDA, IMAPA); the
only arithmetic written here is the two naive baselines (seasonal-naive and a
level-adjusted seasonal-naive) and the mean of a combination.
"""

import warnings
from dataclasses import dataclass

import numpy as np

# statsforecast compiles its models with numba on first use (cached on disk);
# imported lazily so that loading the addon costs nothing until a forecast runs.
_MODELS = {}


def _sf():
    if not _MODELS:
        from statsforecast import models  # noqa: PLC0415 (lazy import, see above)

        _MODELS.update(vars(models))
    return _MODELS


def _sf_forecast(model, y, h, level=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            if level:
                return model.forecast(y=y.astype(float), h=h, level=[level])
            return model.forecast(y=y.astype(float), h=h)


@dataclass(frozen=True)
class Candidate:
    """A method: its name, its function and the history it needs.

    ``min_length(m)`` is the number of periods the method needs, given the
    season length ``m``.
    """

    name: str
    function: object
    min_length: object
    intermittent: bool = False  # meant for intermittent demand

    def __call__(self, y, h, m):
        """``h`` point forecasts; NaN when the method cannot fit this
        series (a library model refusing a tiny or constant series)."""
        try:
            mean = np.asarray(self.function(y, h, m), dtype=float)
        except (
            ValueError,
            ArithmeticError,
            NotImplementedError,
            np.linalg.LinAlgError,
        ):
            return np.full(h, np.nan)
        return np.where(np.isfinite(mean), mean, np.nan)


# ---------------------------------------------------------------
# Naive baselines (the only hand-written forecasts)
# ---------------------------------------------------------------


def seasonal_naive(y, h, m):
    """The value of the same period one season earlier (the last value
    when the history is shorter than a season)."""
    if len(y) < m:
        return np.full(h, y[-1], dtype=float)
    last_season = y[-m:]
    return np.array([last_season[i % m] for i in range(h)], dtype=float)


def adjustment_window(m):
    """Periods compared by the level adjustment: a quarter of a season."""
    return max(1, m // 4)


def level_adjusted_seasonal_naive(y, h, m):
    """Seasonal-naive scaled by the recent level against the same periods
    a season earlier: the last ``m // 4`` periods summed, divided by the same
    periods one season before (1 when those sold nothing). The ratio is kept
    within [1/4, 4] so that one exceptional period cannot multiply a whole
    season; a series that stopped selling gets 0."""
    k = adjustment_window(m)
    recent = float(np.sum(y[-k:]))
    before = float(np.sum(y[-k - m : -m]))
    if before > 0:
        ratio = min(max(recent / before, 0.25), 4.0) if recent > 0 else 0.0
    else:
        ratio = 1.0
    return seasonal_naive(y, h, m) * ratio


# ---------------------------------------------------------------
# Library models
# ---------------------------------------------------------------


def auto_ets(y, h, m):
    # AutoETS only tries seasonal models with two full seasons, as statsmodels
    # refuses seasonal estimation below 2 * m points.
    model = "ZZZ" if len(y) >= 2 * m + 2 else "ZZN"
    return _sf_forecast(_sf()["AutoETS"](season_length=m, model=model), y, h)["mean"]


def auto_theta(y, h, m):
    season = m if len(y) >= 2 * m else 1
    # AutoTheta fits four Theta variants; with a 52-week season each costs
    # ten times a monthly fit, so weekly series use the standard Theta alone
    model = _sf()["Theta"] if m > 12 else _sf()["AutoTheta"]
    return _sf_forecast(model(season_length=season), y, h)["mean"]


def croston_sba(y, h, m):
    return _sf_forecast(_sf()["CrostonSBA"](), y, h)["mean"]


def tsb(y, h, m):
    # TSB has no optimiser in statsforecast: the smoothing constants are
    # the usual 0.1 for both demand size and probability.
    return _sf_forecast(_sf()["TSB"](alpha_d=0.1, alpha_p=0.1), y, h)["mean"]


def adida(y, h, m):
    return _sf_forecast(_sf()["ADIDA"](), y, h)["mean"]


def imapa(y, h, m):
    return _sf_forecast(_sf()["IMAPA"](), y, h)["mean"]


def arima_with_driver(y, h, m, driver, driver_future):
    """Regression on an external driver (a temperature, say) with ARIMA
    errors: statsforecast's AutoARIMA with the driver as exogenous regressor.
    ``driver`` is aligned with ``y``; ``driver_future`` holds its ``h``
    next values."""
    X = np.asarray(driver, float).reshape(-1, 1)
    X_future = np.asarray(driver_future, float).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            model = _sf()["AutoARIMA"](season_length=1)
            return model.forecast(y=y.astype(float), h=h, X=X, X_future=X_future)[
                "mean"
            ]


def driver_candidate(driver):
    """The candidate ``arima_x`` bound to one series' driver values, which
    cover the series (oldest first) and the periods after it."""
    driver = np.asarray(driver, float)

    def forecast(y, h, m):
        n = len(y)
        if len(driver) < n + h or np.isnan(driver[: n + h]).any():
            return np.full(h, np.nan)  # the driver does not cover the series
        # the series' last n periods line up with the driver's first n + h
        return arima_with_driver(y, h, m, driver[:n], driver[n : n + h])

    return Candidate("arima_x", forecast, lambda m: 8)


def native_interval(y, h, m, level):
    """Prediction interval of the library's naive model, used when a
    series has too little history for an empirical interval."""
    model = _sf()["SeasonalNaive"](season_length=m) if len(y) > m else _sf()["Naive"]()
    res = _sf_forecast(model, y, h, level=level)
    return np.asarray(res[f"lo-{level}"], float), np.asarray(res[f"hi-{level}"], float)


def combination(*names):
    """The mean of other candidates' forecasts (a combination is a method)."""

    def forecast(y, h, m):
        return np.mean([CANDIDATES[name](y, h, m) for name in names], axis=0)

    forecast.components = names
    return forecast


def forecast_many(names, y, h, m, extra=None):
    """``{name: forecast}`` of several candidates on the same data, each
    library model fitted once even when combinations share it.

    :param extra: ``{name: Candidate}`` of candidates bound to this series
        (an external driver)"""
    done = {}
    known = {**CANDIDATES, **(extra or {})}

    def run(name):
        if name not in done:
            components = getattr(known[name].function, "components", None)
            if components:
                done[name] = np.mean(
                    [run(component) for component in components], axis=0
                )
            else:
                done[name] = known[name](y, h, m)
        return done[name]

    return {name: run(name) for name in names}


def _combination_min_length(*names):
    return lambda m: max(CANDIDATES[name].min_length(m) for name in names)


CANDIDATES = {}
for _candidate in (
    Candidate("snaive", seasonal_naive, lambda m: m),
    Candidate(
        "snaive_adj", level_adjusted_seasonal_naive, lambda m: m + adjustment_window(m)
    ),
    Candidate("ets", auto_ets, lambda m: 4),
    Candidate("theta", auto_theta, lambda m: 4),
    Candidate("croston_sba", croston_sba, lambda m: 3, intermittent=True),
    Candidate("tsb", tsb, lambda m: 3, intermittent=True),
    Candidate("adida", adida, lambda m: 3, intermittent=True),
    Candidate("imapa", imapa, lambda m: 3, intermittent=True),
):
    CANDIDATES[_candidate.name] = _candidate

for _names, _intermittent in (
    (("ets", "theta"), False),
    (("ets", "theta", "snaive_adj"), False),
    (("snaive", "theta"), False),
    (("snaive_adj", "theta"), False),
    (("snaive", "snaive_adj", "theta", "ets"), False),
    (("croston_sba", "tsb", "adida"), True),
):
    _name = "comb_" + "_".join(_names)
    CANDIDATES[_name] = Candidate(
        _name, combination(*_names), _combination_min_length(*_names), _intermittent
    )
