"""The forecasting engine on synthetic series with known shapes, and each
quirk of real order data as a unit case (no database needed)."""

import numpy as np

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified_forecast import engine
from odoo.addons.crm_order_unified_forecast.engine import candidates, forecaster

M = 12


def seasonal_trend(n, noise=0.0, seed=0):
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 200 + 3 * t + 60 * np.sin(2 * np.pi * t / M) + rng.normal(0, noise, n)


@tagged("post_install", "-at_install")
class TestForecastEngine(TransactionCase):
    # ------------------------------------------------------------
    # Backtest correctness
    # ------------------------------------------------------------

    def test_backtest_origins_and_errors(self):
        """The backtest forecasts from each of the last origins, up to the
        horizon and never past the data, with the data before the origin only."""
        y = np.tile(np.arange(1.0, 13.0), 3)  # exactly periodic
        errors, starts = forecaster.backtest(y, M, 3, ["snaive"], origins=4)
        self.assertEqual(starts, [32, 33, 34, 35])
        self.assertEqual(len(errors["snaive"]), 3 + 3 + 2 + 1)
        for _step, actual, forecast in errors["snaive"]:
            self.assertEqual(
                actual, forecast, "seasonal-naive is exact on a periodic series"
            )

    def test_seasonal_trend_series(self):
        """Three years of trend and seasonality: the chosen method follows
        both, closer to the truth than seasonal-naive (which misses the trend)."""
        y = seasonal_trend(42, noise=4.0)
        truth = seasonal_trend(48)[42:]
        result = engine.forecast_series(y[:42], M, 6)
        self.assertEqual(result.kind, "smooth")
        self.assertTrue(result.scores, "backtested")
        ours = engine.smape(truth, result.mean)
        naive = engine.smape(truth, candidates.seasonal_naive(y[:42], 6, M))
        self.assertLess(ours, naive)
        self.assertLess(ours, 8.0)
        self.assertIsNotNone(result.smape)
        self.assertIsNotNone(result.mase)
        self.assertTrue(np.all(result.lower <= result.mean))
        self.assertTrue(np.all(result.mean <= result.upper))

    def test_candidates_always_include_the_naive_baselines(self):
        y = seasonal_trend(40, noise=2.0)
        result = engine.forecast_series(y, M, 3)
        self.assertIn("snaive", result.scores)
        self.assertIn("snaive_adj", result.scores)

    def test_combination_is_the_mean_of_its_methods(self):
        y = seasonal_trend(30, noise=3.0)
        both = candidates.forecast_many(
            ["theta", "snaive", "comb_snaive_theta"], y, 4, M
        )
        np.testing.assert_allclose(
            both["comb_snaive_theta"], (both["theta"] + both["snaive"]) / 2
        )

    def test_level_adjusted_seasonal_naive(self):
        """Last year's shape scaled by the recent level against a year before:
        the last quarter sold twice as much as a year earlier."""
        y = np.concatenate([np.arange(1.0, 13.0), 2 * np.arange(1.0, 13.0)])
        np.testing.assert_allclose(
            candidates.level_adjusted_seasonal_naive(y, 3, M), [4.0, 8.0, 12.0]
        )
        stopped = np.concatenate([np.ones(12), np.ones(9), np.zeros(3)])
        np.testing.assert_allclose(
            candidates.level_adjusted_seasonal_naive(stopped, 2, M), [0.0, 0.0]
        )

    # ------------------------------------------------------------
    # Quirks of real data
    # ------------------------------------------------------------

    def test_shorter_than_two_seasons(self):
        """18 months: no seasonal model can be estimated (statsmodels refuses
        below 24 points); the engine still forecasts, seasonal-naive included."""
        y = seasonal_trend(18, noise=3.0)
        result = engine.forecast_series(y, M, 6)
        self.assertEqual(len(result.mean), 6)
        self.assertTrue(np.all(np.isfinite(result.mean)))
        self.assertIn("snaive", result.scores)

    def test_one_year_of_history(self):
        """12 months: nothing to backtest a seasonal method on; the default
        combination of seasonal-naive and Theta forecasts."""
        y = seasonal_trend(12, noise=3.0)
        result = engine.forecast_series(y, M, 6)
        self.assertEqual(result.method, "comb_snaive_theta")
        self.assertTrue(np.all(result.mean > 0))
        self.assertTrue(np.all(result.upper >= result.lower))

    def test_intermittent_product(self):
        """Many zero months: intermittent-demand methods, a small steady forecast."""
        y = np.array(
            [0, 0, 5, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0, 6, 0, 0, 2, 0, 0, 0, 5, 0, 0, 3],
            float,
        )
        result = engine.forecast_series(y, M, 3)
        self.assertEqual(result.kind, "intermittent")
        self.assertTrue(
            set(result.method.split("+")) <= set(forecaster.INTERMITTENT_CANDIDATES)
        )
        self.assertTrue(np.all(result.mean >= 0))
        self.assertLess(result.mean.max(), 6)
        self.assertIsNotNone(
            result.mase, "scored by MASE: sMAPE is meaningless on zeros"
        )

    def test_new_product(self):
        """Two months of sales: the mean, no backtest, an interval from the
        naive model."""
        result = engine.forecast_series(np.array([0, 0, 0, 10.0, 14.0]), M, 3)
        self.assertEqual((result.kind, result.method), ("new", "mean"))
        np.testing.assert_allclose(result.mean, [12.0] * 3)
        self.assertIsNone(result.smape)
        self.assertTrue(np.all(result.upper > result.mean))

    def test_too_short_for_every_candidate(self):
        """Three periods of sales (a segment that appeared this quarter): too
        short for theta, the last value, never NaN (the forecast rows would
        not be stored)."""
        for m in (12, 52):
            for aggregate in (False, True):
                y = np.concatenate([np.zeros(33), [4.0, 5.0, 6.0]])
                result = engine.forecast_series(
                    y, m, 6, aggregate=aggregate, fast=not aggregate
                )
                self.assertEqual((result.kind, result.method), ("smooth", "snaive"))
                np.testing.assert_allclose(result.mean, [6.0] * 6)
                self.assertTrue(np.all(np.isfinite(result.lower)))
                self.assertTrue(np.all(np.isfinite(result.upper)))

    def test_product_no_longer_sold(self):
        """Nothing sold for a full season: forecast zero."""
        y = np.concatenate([np.full(12, 20.0), np.zeros(12)])
        result = engine.forecast_series(y, M, 6)
        self.assertEqual((result.kind, result.method), ("inactive", "zero"))
        self.assertFalse(result.mean.any())

    def test_never_sold(self):
        result = engine.forecast_series(np.zeros(24), M, 2)
        self.assertEqual(result.kind, "empty")
        self.assertFalse(result.mean.any())

    def test_huge_spike_does_not_multiply_a_season(self):
        """One exceptional month (an order cancelled later but still there)
        is capped in the level adjustment, the forecast stays bounded."""
        y = np.full(24, 100.0)
        y[-1] = 100000.0
        result = engine.forecast_series(y, M, 3)
        self.assertTrue(np.all(np.isfinite(result.mean)))
        self.assertLess(candidates.level_adjusted_seasonal_naive(y, 3, M).max(), 401.0)

    def test_weekly_granularity(self):
        t = np.arange(80)
        y = (
            50
            + 20 * np.sin(2 * np.pi * t / 52)
            + np.random.default_rng(1).normal(0, 3, 80)
        )
        result = engine.forecast_series(y, 52, 6)
        self.assertEqual(len(result.mean), 6)
        self.assertTrue(np.all(np.isfinite(result.mean)))

    def test_forecast_with_method(self):
        """Revenue follows the method chosen on the quantity."""
        y = seasonal_trend(30, noise=3.0)
        result = engine.forecast_series(y, M, 3)
        again = engine.forecast_with_method(result.method, y, M, 3)
        np.testing.assert_allclose(again, result.mean)
        np.testing.assert_allclose(
            engine.forecast_with_method("zero", y, M, 2), [0.0, 0.0]
        )

    def test_smape_and_mase(self):
        self.assertEqual(engine.smape([0, 0], [0, 0]), 0.0)
        self.assertAlmostEqual(engine.smape([100], [50]), 200 * 50 / 150)
        self.assertEqual(engine.smape([0], [5]), 200.0)
        y = np.tile([1.0, 3.0], 12)
        self.assertEqual(engine.mase_scale(np.full(30, 5.0), M), 5.0)
        self.assertAlmostEqual(engine.mase([2.0], [3.0], 2.0), 0.5)
        self.assertGreater(engine.mase_scale(y, M), 0)

    def test_external_driver_used_where_it_helps(self):
        """Demand following a temperature with a heat wave ahead: the
        regression on the driver wins the backtest and sees the surge; a
        driver unrelated to demand is not chosen."""
        rng = np.random.default_rng(0)
        n = 30
        t = np.arange(n + 6)
        temperature = 12 + 7 * np.sin(2 * np.pi * (t - 3) / M) + rng.normal(0, 1, n + 6)
        temperature[n + 1] += 8  # the heat wave, next month but one
        y = np.maximum(0, 20 + 6 * temperature[:n] + rng.normal(0, 4, n))
        result = engine.forecast_series(y, M, 6, driver=temperature)
        self.assertEqual(result.method, "arima_x")
        self.assertGreater(result.mean[1], result.mean[0] + 20)
        noise = rng.normal(0, 1, n + 6)
        flat = np.maximum(0, 50 + rng.normal(0, 3, n))
        self.assertNotIn(
            "arima_x", engine.forecast_series(flat, M, 6, driver=noise).method
        )

    def test_driver_with_gaps_is_ignored(self):
        y = seasonal_trend(30, noise=3.0)
        driver = np.full(36, np.nan)
        result = engine.forecast_series(y, M, 6, driver=driver)
        self.assertNotIn("arima_x", result.method)
        self.assertTrue(np.all(np.isfinite(result.mean)))

    def test_weekly_driver(self):
        """Weekly demand following a monthly temperature spread over the
        weeks (each week the value of its month): with a 52-week season the
        regression on the driver still wins the backtest and sees the warm
        spell ahead."""
        rng = np.random.default_rng(1)
        n = 110
        monthly = 12 + 7 * np.sin(2 * np.pi * (np.arange(30) - 3) / M)
        monthly += rng.normal(0, 2.5, 30)
        week_month = (np.arange(n + 6) * 7 // 30).astype(int)
        driver = monthly[week_month]
        driver[n + 3 :] += 8  # the warm spell in 4 to 6 weeks
        y = np.maximum(0, 10 + 5 * driver[:n] + rng.normal(0, 2, n))
        result = engine.forecast_series(y, 52, 6, driver=driver)
        self.assertEqual(result.method, "arima_x")
        self.assertGreater(result.mean[4], result.mean[0] + 25)
