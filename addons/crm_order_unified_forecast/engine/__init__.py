"""Forecasting engine of crm_order_unified_forecast: plain Python and numpy,
no Odoo, so that the benchmark and the tests can run it on any series.
``cou.forecast`` (models/cou_forecast.py) owns it: it reads the series from
the database and stores what the engine returns."""

from .forecaster import (
    ForecastResult,
    classify,
    forecast_series,
    forecast_with_method,
    mase,
    mase_scale,
    smape,
)
from .reorder import ReorderModel, reorder_features, rule_probability
