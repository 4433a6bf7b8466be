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

    # ------------------------------------------------------------
    # Product repurchase cycles
    # ------------------------------------------------------------

    def _cycle_population(self, seed=0):
        """Customers buying consumables on each product's own cycle (product
        0: every 30 days, 1: every 120 days, 2: every 60 days), from a random
        phase: their orders mix the products, so their own order intervals
        are irregular while the product last bought tells when the next
        order comes. ``(order_days, purchases)``."""
        rng = np.random.default_rng(seed)
        cycles = {0: 30, 1: 120, 2: 60}
        order_days, rows = {}, []
        for key in range(240):
            bought = rng.choice(3, size=int(rng.integers(1, 3)), replace=False)
            days = []
            for product in bought:
                cycle = cycles[int(product)]
                start = int(rng.integers(0, cycle))
                for day in range(start, 720, cycle):
                    day += int(rng.integers(-2, 3))
                    days.append(day)
                    rows.append((key, int(product), day))
            order_days[key] = np.unique(days)
        customers, products, days = (np.array(col) for col in zip(*rows, strict=True))
        return order_days, (customers, products, days)

    def test_product_cycles(self):
        _order_days, purchases = self._cycle_population()
        cycles = engine.reorder.product_cycles(purchases, 600)
        self.assertAlmostEqual(cycles[0], 30, delta=2)
        self.assertAlmostEqual(cycles[1], 120, delta=2)
        self.assertAlmostEqual(cycles[2], 60, delta=2)
        # too few repurchases: no known cycle
        few = (np.array([1, 1, 2]), np.array([5, 5, 5]), np.array([0, 10, 3]))
        self.assertEqual(engine.reorder.product_cycles(few, 100), {})

    def test_repurchase_cycle_makes_a_customer_due(self):
        """Two customers with the same order days (every 60 days, the last
        one 25 days ago): the one who buys the consumable every customer
        rebuys after 30 days is due, the one who buys the 120-day one is not;
        the plain rule cannot tell them apart, the model (trained on the
        population) can."""
        order_days, (customers, products, days) = self._cycle_population()
        as_of = 600
        same_days = np.array([as_of - 205, as_of - 145, as_of - 85, as_of - 25])
        order_days["due"] = order_days["not_due"] = same_days
        customers = np.concatenate([customers, ["due"] * 4, ["not_due"] * 4])
        # "due" buys the 30-day product, "not_due" the 120-day one
        products = np.concatenate([products, [0] * 4, [1] * 4])
        days = np.concatenate([days, same_days, same_days])
        purchases = (customers.astype(str), products, days)
        order_days = {str(key): value for key, value in order_days.items()}
        model = engine.ReorderModel(window=30).fit(order_days, as_of, purchases)
        self.assertIsNotNone(model.model)
        keys, X = engine.reorder_features(order_days, as_of, purchases)
        rule = dict(zip(keys, engine.rule_probability(X, 30), strict=True))
        self.assertEqual(rule["due"], rule["not_due"])
        row = {key: X[i] for i, key in enumerate(keys)}
        to_due = engine.reorder.FEATURES.index("cycle_days_to_due")
        self.assertAlmostEqual(row["due"][to_due], 5, delta=2)  # 30 - 25
        self.assertAlmostEqual(row["not_due"][to_due], 95, delta=2)  # 120 - 25
        probabilities = model.predict(order_days, as_of, purchases)
        self.assertGreater(probabilities["due"], probabilities["not_due"] + 0.2)
        # the cycles are a feature the model uses: without them, the two
        # customers look the same
        plain = engine.ReorderModel(window=30).fit(order_days, as_of)
        plain_p = plain.predict(order_days, as_of)
        self.assertAlmostEqual(plain_p["due"], plain_p["not_due"])

    def test_cycles_never_read_after_the_cut(self):
        order_days, purchases = self._cycle_population()
        customers, products, days = purchases
        later = (
            np.concatenate([customers, [0, 1]]),
            np.concatenate([products, [0, 0]]),
            np.concatenate([days, [650, 655]]),
        )
        a = engine.ReorderModel().fit(order_days, 600, purchases)
        b = engine.ReorderModel().fit(order_days, 600, later)
        self.assertEqual(
            a.predict(order_days, 600, purchases), b.predict(order_days, 600, later)
        )
