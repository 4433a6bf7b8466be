"""The reorder model on synthetic customers with regular rhythms."""

import numpy as np

from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_order_unified_forecast import engine


@tagged("post_install", "-at_install")
class TestReorderModel(TransactionCase):
    def _customers(self, seed=0):
        rng = np.random.default_rng(seed)
        order_days = {}
        for key in range(300):
            interval = rng.choice([14, 30, 60, 120])
            start = int(rng.integers(0, interval))
            days = np.arange(start, 720, interval) + rng.integers(
                -3, 4, size=len(range(start, 720, interval))
            )
            if key % 5 == 0:  # churned: stopped ordering a year ago
                days = days[days < 360]
            order_days[key] = np.unique(days)
        return order_days

    def test_model_beats_the_interval_rule(self):
        order_days = self._customers()
        as_of = 600
        model = engine.ReorderModel(window=30).fit(order_days, as_of)
        self.assertIsNotNone(model.model, "enough customers to learn")
        probabilities = model.predict(order_days, as_of)
        keys, X = engine.reorder_features(order_days, as_of)
        y = engine.reorder.reorder_labels(order_days, keys, as_of, 30)
        p_model = np.array([probabilities[k] for k in keys])
        p_rule = engine.rule_probability(X, 30)
        brier_model = float(np.mean((p_model - y) ** 2))
        brier_rule = float(np.mean((p_rule - y) ** 2))
        self.assertLess(brier_model, brier_rule)
        self.assertTrue(np.all((p_model >= 0) & (p_model <= 1)))

    def test_never_reads_after_the_cut(self):
        """Orders on or after as_of change nothing."""
        order_days = self._customers()
        later = {k: np.concatenate([v, [650, 660]]) for k, v in order_days.items()}
        a = engine.ReorderModel().fit(order_days, 600).predict(order_days, 600)
        b = engine.ReorderModel().fit(later, 600).predict(later, 600)
        self.assertEqual(a, b)

    def test_few_customers_use_the_rule(self):
        order_days = {1: np.array([0, 30, 60]), 2: np.array([10])}
        model = engine.ReorderModel().fit(order_days, 80)
        self.assertIsNone(model.model)
        probabilities = model.predict(order_days, 80)
        self.assertEqual(probabilities[1], 1.0)  # 20 days since, every 30 days: due
        self.assertEqual(probabilities[2], 0.0)  # one order: no rhythm known
