import logging
import random
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The seed of the demo company: same seed and same anchor day, same company.
DEMO_SEED = 2024
DEMO_MODULE = "crm_order_unified"
ANCHOR_PARAM = "crm_order_unified.demo_anchor_date"
HISTORY_DAYS = 730

# Every lifecycle the demo must show, with how many orders at least.
SCENARIO_MINIMUM = {
    "draft": 4,  # quotation never sent (some old and abandoned)
    "sent": 3,  # quotation sent, waiting for the customer
    "cancel": 4,  # cancelled quotation or order
    "confirmed": 3,  # confirmed, nothing shipped yet
    "partial": 3,  # partly delivered, a backorder is open
    "delivered": 3,  # delivered, not invoiced yet
    "invoice_draft": 2,  # delivered, invoice still in draft
    "invoiced": 3,  # invoice posted, not due yet
    "paid": 20,  # invoice paid
    "partial_paid": 3,  # invoice partly paid
    "overdue": 4,  # invoice past its due date and unpaid
    "returned": 3,  # paid, then part of the goods came back (no credit note yet)
    "refunded": 3,  # paid, goods returned, credit note posted and refund paid
}

# Internal notes of some demo customers (every NOTE_EVERY-th one), shown in
# the customer context panel of their orders, deliveries and invoices.
CUSTOMER_NOTES = [
    "<p>Key account: call the purchasing manager before changing a delivery "
    "date.</p>",
    "<p>Deliveries only on weekday mornings; the loading dock closes at " "noon.</p>",
    "<p>Asked for one consolidated invoice per month; send quotations to the "
    "buyer, not to the accounts address.</p>",
    "<p>Prefers phone over email. Paid late twice last year: check the "
    "overdue amount before confirming large orders.</p>",
]
NOTE_EVERY = 4

# (name, list price, cost, season) per category; season drives the sales pattern.
PRODUCT_CATALOG = [
    (
        "Summer Goods",
        "summer",
        [
            ("Handheld Fan (Uchiwa)", 12.0, 4.0),
            ("Portable Electric Fan", 39.0, 18.0),
            ("Mosquito Coil Holder (Katori Buta)", 24.0, 9.0),
            ("Cotton Yukata", 89.0, 38.0),
            ("Bamboo Beach Mat", 29.0, 11.0),
            ("Cooling Towel", 15.0, 5.5),
            ("Beach Parasol", 69.0, 31.0),
            ("Sunscreen SPF50 (Pack of 3)", 27.0, 10.0),
            ("Cooler Box 30 L", 79.0, 36.0),
            ("Straw Sun Hat", 35.0, 13.0),
            ("Wind Chime (Furin)", 22.0, 7.5),
        ],
    ),
    (
        "Winter Goods",
        "winter",
        [
            ("Kotatsu Table Heater", 249.0, 120.0),
            ("Ceramic Space Heater", 89.0, 41.0),
            ("Wool Blanket", 75.0, 30.0),
            ("Thermal Socks (3 Pairs)", 19.0, 6.0),
            ("Cashmere Scarf", 99.0, 42.0),
            ("Hot Water Bottle", 18.0, 6.5),
            ("Down Jacket", 189.0, 88.0),
            ("Heated Insoles", 45.0, 19.0),
            ("Hand Warmers (Box of 40)", 32.0, 12.0),
            ("Knitted Beanie", 21.0, 7.0),
            ("Electric Throw", 119.0, 54.0),
        ],
    ),
    (
        "Tea & Kitchen",
        False,
        [
            ("Ceremonial Matcha 40 g", 34.0, 14.0),
            ("Sencha Green Tea 100 g", 16.0, 6.0),
            ("Cast Iron Teapot (Tetsubin)", 95.0, 40.0),
            ("Bamboo Whisk (Chasen)", 18.0, 6.0),
            ("Stoneware Tea Cups (Set of 4)", 42.0, 17.0),
            ("Santoku Knife", 129.0, 55.0),
            ("Hinoki Cutting Board", 58.0, 22.0),
            ("Bento Box", 26.0, 9.0),
            ("Rice Cooker 1 L", 149.0, 70.0),
            ("Chopsticks Gift Set", 24.0, 8.0),
            ("Donabe Clay Pot", 85.0, 36.0),
        ],
    ),
    (
        "Home & Office",
        False,
        [
            ("Noren Door Curtain", 48.0, 18.0),
            ("Washi Notebook", 14.0, 4.5),
            ("Fountain Pen", 65.0, 26.0),
            ("Desk Organizer (Oak)", 39.0, 15.0),
            ("Ergonomic Seat Cushion", 55.0, 21.0),
            ("LED Desk Lamp", 72.0, 30.0),
            ("Furoshiki Wrapping Cloth", 19.0, 6.0),
            ("Aroma Diffuser", 49.0, 19.0),
            ("Tatami Floor Cushion", 59.0, 24.0),
            ("Paper Lantern", 33.0, 12.0),
            ("Indoor Bonsai Kit", 44.0, 16.0),
        ],
    ),
]

# (company name, country code, city, zip, street, email domain, uses the foreign
# currency)
COMPANIES = [
    (
        "Sakura Trading Co., Ltd.",
        "jp",
        "Tokyo",
        "100-0005",
        "1-1 Marunouchi, Chiyoda-ku",
        "sakura-trading.example",
        False,
    ),
    (
        "Fuji Outdoor K.K.",
        "jp",
        "Shizuoka",
        "420-0853",
        "3-2 Otemachi, Aoi-ku",
        "fuji-outdoor.example",
        False,
    ),
    (
        "Hokkaido Winter Supply",
        "jp",
        "Sapporo",
        "060-0001",
        "5 Kita 1-jo Nishi, Chuo-ku",
        "hokkaido-winter.example",
        False,
    ),
    (
        "Kyoto Tea House Kato",
        "jp",
        "Kyoto",
        "605-0074",
        "57 Gionmachi, Higashiyama-ku",
        "kato-tea.example",
        False,
    ),
    (
        "Osaka Kitchenware Nakamura",
        "jp",
        "Osaka",
        "542-0076",
        "2-4 Namba, Chuo-ku",
        "nakamura-kitchen.example",
        False,
    ),
    (
        "Nagoya Office Partners",
        "jp",
        "Nagoya",
        "450-0002",
        "4-7 Meieki, Nakamura-ku",
        "nagoya-office.example",
        False,
    ),
    (
        "Yokohama Marine Goods",
        "jp",
        "Yokohama",
        "231-0023",
        "1-9 Yamashitacho, Naka-ku",
        "yokohama-marine.example",
        False,
    ),
    (
        "Fukuoka Lifestyle Store",
        "jp",
        "Fukuoka",
        "810-0001",
        "2-3 Tenjin, Chuo-ku",
        "fukuoka-lifestyle.example",
        False,
    ),
    (
        "Sendai Home Center",
        "jp",
        "Sendai",
        "980-0021",
        "3-6 Chuo, Aoba-ku",
        "sendai-home.example",
        False,
    ),
    (
        "Okinawa Beach Resort",
        "jp",
        "Naha",
        "900-0014",
        "1-1 Matsuo",
        "okinawa-beach.example",
        False,
    ),
    (
        "Northwind Outfitters",
        "us",
        "Seattle",
        "98101",
        "1200 Pine Street",
        "northwind-outfitters.example",
        False,
    ),
    (
        "Blue Ridge Mercantile",
        "us",
        "Asheville",
        "28801",
        "45 Haywood Street",
        "blueridge-mercantile.example",
        False,
    ),
    (
        "Lakeside Home & Garden",
        "us",
        "Chicago",
        "60611",
        "500 N Michigan Ave",
        "lakeside-home.example",
        False,
    ),
    (
        "Pacific Coast Retail",
        "us",
        "San Diego",
        "92101",
        "700 Broadway",
        "pacific-coast.example",
        False,
    ),
    (
        "Maple Leaf Supplies",
        "ca",
        "Toronto",
        "M5H 2N2",
        "100 King St W",
        "mapleleaf-supplies.example",
        False,
    ),
    (
        "Alpenhaus GmbH",
        "de",
        "Munich",
        "80331",
        "Marienplatz 8",
        "alpenhaus.example",
        True,
    ),
    (
        "Nordlicht Handel GmbH",
        "de",
        "Hamburg",
        "20095",
        "Mönckebergstraße 7",
        "nordlicht-handel.example",
        True,
    ),
    (
        "Maison Soleil SARL",
        "fr",
        "Lyon",
        "69002",
        "12 Rue de la République",
        "maison-soleil.example",
        True,
    ),
    (
        "Café Lumière",
        "fr",
        "Paris",
        "75004",
        "5 Rue de Rivoli",
        "cafe-lumiere.example",
        True,
    ),
    (
        "Brighton Home Ltd",
        "gb",
        "Brighton",
        "BN1 1AA",
        "22 North Street",
        "brighton-home.example",
        False,
    ),
    (
        "Thames Office Supplies",
        "gb",
        "London",
        "EC2V 7HH",
        "1 Gresham Street",
        "thames-office.example",
        False,
    ),
    (
        "Sydney Surf & Sun Pty Ltd",
        "au",
        "Sydney",
        "2000",
        "88 George Street",
        "sydney-surf.example",
        False,
    ),
    (
        "Auckland Outdoor Co.",
        "nz",
        "Auckland",
        "1010",
        "30 Queen Street",
        "auckland-outdoor.example",
        False,
    ),
    (
        "Singapore Living Pte. Ltd.",
        "sg",
        "Singapore",
        "049315",
        "10 Collyer Quay",
        "singapore-living.example",
        False,
    ),
]
JP_FIRST = [
    "Haruto",
    "Yui",
    "Sota",
    "Aoi",
    "Ren",
    "Hina",
    "Yuto",
    "Mei",
    "Takumi",
    "Sakura",
    "Kaito",
    "Rin",
    "Daiki",
    "Miyu",
    "Kenta",
    "Nanami",
    "Shota",
    "Ayaka",
    "Ryo",
    "Emi",
]
JP_LAST = [
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
]
INTL_FIRST = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Sophie",
    "Lucas",
    "Mia",
    "Ethan",
    "Chloe",
    "Jack",
    "Hannah",
    "Felix",
    "Léa",
    "Jonas",
    "Grace",
    "Oscar",
    "Isla",
    "Marco",
    "Zoe",
    "Daniel",
]
INTL_LAST = [
    "Smith",
    "Johnson",
    "Brown",
    "Miller",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thomas",
    "Martin",
    "Müller",
    "Schmidt",
    "Dubois",
    "Moreau",
    "Clarke",
    "Walker",
    "Evans",
]
# individuals: (country code, city, zip, uses the foreign currency)
INDIVIDUAL_PLACES = [
    ("jp", "Tokyo", "150-0001", False),
    ("jp", "Osaka", "530-0001", False),
    ("jp", "Kobe", "650-0001", False),
    ("jp", "Sapporo", "060-0042", False),
    ("jp", "Kyoto", "600-8216", False),
    ("us", "Portland", "97205", False),
    ("us", "Boston", "02108", False),
    ("us", "Austin", "78701", False),
    ("de", "Berlin", "10115", True),
    ("fr", "Nice", "06000", True),
    ("gb", "Manchester", "M1 1AE", False),
    ("ca", "Vancouver", "V6B 1A1", False),
]
SALESPEOPLE = [
    ("Yuki Tanaka", "yuki.tanaka@customer-hub.example"),
    ("Kenji Sato", "kenji.sato@customer-hub.example"),
    ("Emma Johnson", "emma.johnson@customer-hub.example"),
    ("Lucas Martin", "lucas.martin@customer-hub.example"),
]
# ordering profile: (how many customers, mean days between orders, first order window,
# last order window)
PROFILES = {
    "key": (6, 55, (700, 730), (0, 20)),
    "regular": (20, 170, (500, 730), (0, 90)),
    "occasional": (24, 400, (300, 730), (0, 400)),
    "churned": (6, 110, (620, 730), (270, 420)),
    "new": (8, 40, (30, 120), (0, 25)),
}
N_INDIVIDUALS = 40
PIPELINE_ORDERS = 22
SEASON_WEIGHT = {
    "summer": {
        1: 0.2,
        2: 0.2,
        3: 0.5,
        4: 1.0,
        5: 2.5,
        6: 4.0,
        7: 5.0,
        8: 4.5,
        9: 1.5,
        10: 0.5,
        11: 0.2,
        12: 0.2,
    },
    "winter": {
        1: 5.0,
        2: 4.0,
        3: 1.5,
        4: 0.4,
        5: 0.2,
        6: 0.1,
        7: 0.1,
        8: 0.2,
        9: 0.5,
        10: 1.5,
        11: 3.5,
        12: 5.0,
    },
}


class CouDemoGenerator(models.AbstractModel):
    """Builds the demo company of Customer Hub: customers, products and two
    years of sales with deliveries, invoices, payments, returns and refunds.

    Two steps: ``_get_demo_plan`` computes everything from a seed and an anchor
    day in pure Python (deterministic, no database), ``_generate_demo_data``
    replays that plan through the ORM workflows in batches and writes the past
    dates afterwards. It runs once, from the addon's demo data file.
    """

    _name = "cou.demo.generator"
    _description = "Customer Hub demo data generator"

    # === NOTES === #
    # PLAN (pure Python, deterministic)

    @api.model
    def _get_demo_plan(self, seed=DEMO_SEED, today=None):
        """Return the demo company as plain data: customers, products, orders.

        Same ``seed`` and ``today``: same plan. Customer and product names do
        not depend on ``today``; order dates are relative to it.
        """
        today = today or fields.Date.context_today(self)
        rng = random.Random(seed)
        products = []
        for categ, season, items in PRODUCT_CATALOG:
            for name, price, cost in items:
                products.append(
                    {
                        "ref": "cou_demo_product_%02d" % (len(products) + 1),
                        "code": "COU-%03d" % (len(products) + 1),
                        "name": name,
                        "categ": categ,
                        "season": season,
                        "list_price": price,
                        "standard_price": cost,
                    }
                )
        customers = self._plan_customers(rng)
        orders = self._plan_orders(rng, customers, products, today)
        return {
            "seed": seed,
            "today": today,
            "customers": customers,
            "products": products,
            "orders": orders,
        }

    @api.model
    def _plan_customers(self, rng):
        customers = []
        used_names = set()

        def person(country):
            first, last = (
                (JP_FIRST, JP_LAST) if country == "jp" else (INTL_FIRST, INTL_LAST)
            )
            while True:
                name = f"{rng.choice(first)} {rng.choice(last)}"
                if name not in used_names:
                    used_names.add(name)
                    return name

        for name, country, city, zip_code, street, domain, foreign in COMPANIES:
            contacts = []
            for _i in range(rng.randint(2, 4)):
                pname = person(country)
                contacts.append(
                    {
                        "name": pname,
                        "email": "{}@{}".format(
                            pname.lower()
                            .replace(" ", ".")
                            .replace("é", "e")
                            .replace("ü", "u"),
                            domain,
                        ),
                        "function": rng.choice(
                            [
                                "Purchasing Manager",
                                "Buyer",
                                "Store Manager",
                                "Accountant",
                                "Owner",
                            ]
                        ),
                    }
                )
            customers.append(
                {
                    "name": name,
                    "is_company": True,
                    "country": country,
                    "city": city,
                    "zip": zip_code,
                    "street": street,
                    "email": f"orders@{domain}",
                    "foreign": foreign,
                    "contacts": contacts,
                    "delivery": rng.random() < 0.4,
                    "terms": "30days",
                }
            )
        for _i in range(N_INDIVIDUALS):
            country, city, zip_code, foreign = rng.choice(INDIVIDUAL_PLACES)
            pname = person(country)
            customers.append(
                {
                    "name": pname,
                    "is_company": False,
                    "country": country,
                    "city": city,
                    "zip": zip_code,
                    "street": "%d %s"
                    % (
                        rng.randint(1, 99),
                        rng.choice(
                            [
                                "Sakura-dori",
                                "Main Street",
                                "Park Avenue",
                                "Hill Road",
                                "Chuo-dori",
                            ]
                        ),
                    ),
                    "email": "{}@mail.example".format(
                        pname.lower()
                        .replace(" ", ".")
                        .replace("é", "e")
                        .replace("ü", "u")
                    ),
                    "foreign": foreign,
                    "contacts": [],
                    "delivery": False,
                    "terms": "immediate",
                }
            )
        # profiles: companies are the key and regular accounts more often
        profile_pool = [
            p for p, (count, *_rest) in PROFILES.items() for _i in range(count)
        ]
        rng.shuffle(profile_pool)
        companies_first = sorted(
            range(len(customers)),
            key=lambda i: (not customers[i]["is_company"], rng.random()),
        )
        big = [p for p in profile_pool if p in ("key", "regular")]
        small = [p for p in profile_pool if p not in ("key", "regular")]
        for idx in companies_first:
            pool = (
                big if (big and (customers[idx]["is_company"] or not small)) else small
            )
            customers[idx]["profile"] = pool.pop(0) if pool else "occasional"
        for i, cust in enumerate(customers):
            cust["ref"] = "cou_demo_customer_%02d" % (i + 1)
            cust["salesperson"] = rng.randrange(len(SALESPEOPLE))
        return customers

    @api.model
    def _plan_orders(self, rng, customers, products, today):
        by_season = defaultdict(list)
        for i, prod in enumerate(products):
            by_season[prod["season"]].append(i)
        orders = []
        # each customer's rhythm over the history, then this month's pipeline
        # (quotations, orders being delivered, fresh invoices) from active ones
        ages = []
        for cidx, cust in enumerate(customers):
            _count, interval, first_window, last_window = PROFILES[cust["profile"]]
            offset = rng.randint(*first_window)
            stop = rng.randint(*last_window)
            while offset >= stop:
                ages.append((cidx, offset))
                offset -= max(7, int(interval * rng.uniform(0.6, 1.4)))
        active = [
            i
            for i, c in enumerate(customers)
            if c["profile"] in ("key", "regular", "new")
        ]
        for _i in range(PIPELINE_ORDERS):
            ages.append((rng.choice(active), rng.randint(0, 24)))
        for cidx, offset in ages:
            cust = customers[cidx]
            day = today - timedelta(days=offset)
            weights = [
                SEASON_WEIGHT[p["season"]][day.month] if p["season"] else 1.2
                for p in products
            ]
            n_lines = rng.randint(1, 5) if cust["is_company"] else rng.randint(1, 3)
            chosen = []
            while len(chosen) < n_lines:
                pidx = rng.choices(range(len(products)), weights)[0]
                if pidx not in chosen:
                    chosen.append(pidx)
            qty_range = (4, 48) if cust["is_company"] else (1, 3)
            lines = [(pidx, rng.randint(*qty_range)) for pidx in chosen]
            orders.append(
                {
                    "customer": cidx,
                    "contact": rng.randrange(len(cust["contacts"]))
                    if cust["contacts"] and rng.random() < 0.7
                    else None,
                    "ship_to_delivery": bool(cust["delivery"] and rng.random() < 0.5),
                    "age": offset,
                    "hour": rng.randint(8, 17),
                    "minute": rng.randint(0, 59),
                    "lines": lines,
                    "delivery_lag": rng.randint(1, 3),
                    "payment_lag": rng.randint(5, 28)
                    if cust["terms"] == "30days"
                    else 0,
                    "return_lag": rng.randint(5, 12),
                    "roll": rng.random(),
                }
            )
        orders.sort(key=lambda o: (-o["age"], o["hour"], o["minute"], o["customer"]))
        for order in orders:
            order["scenario"] = self._plan_natural_scenario(
                order, customers[order["customer"]]
            )
        self._plan_enforce_minimums(rng, orders, customers)
        for i, order in enumerate(orders):
            order["index"] = i
            self._plan_dates(order, today)
        return orders

    @api.model
    def _plan_natural_scenario(self, order, cust):
        age, roll = order["age"], order["roll"]
        if roll < 0.035:
            return "cancel"
        if age <= 3:
            return "draft" if roll < 0.5 else "sent" if roll < 0.8 else "confirmed"
        if age <= 10:
            return (
                "sent"
                if roll < 0.15
                else "confirmed"
                if roll < 0.35
                else "partial"
                if roll < 0.5
                else "delivered"
            )
        if age <= 25:
            if roll < 0.2:
                return "delivered"
            return "invoiced" if cust["terms"] == "30days" and roll < 0.8 else "paid"
        return "paid"

    @api.model
    def _plan_enforce_minimums(self, rng, orders, customers):
        """Make sure every lifecycle exists, taking orders of the right age from
        lifecycles above their minimum (the plentiful ones first)."""
        windows = {
            "draft": (0, 200),
            "sent": (0, 30),
            "cancel": (0, 730),
            "confirmed": (0, 14),
            "partial": (2, 20),
            "delivered": (2, 20),
            "invoice_draft": (3, 15),
            "invoiced": (3, 25),
            "paid": (10, 730),
            "partial_paid": (45, 240),
            "overdue": (50, 300),
            "returned": (30, 600),
            "refunded": (30, 600),
        }
        needs_terms = {"invoiced", "partial_paid", "overdue"}
        counts = Counter(o["scenario"] for o in orders)
        for scenario, minimum in SCENARIO_MINIMUM.items():
            low, high = windows[scenario]
            candidates = [
                o
                for o in orders
                if low <= o["age"] <= high
                and o["scenario"] != scenario
                and (
                    scenario not in needs_terms
                    or customers[o["customer"]]["terms"] == "30days"
                )
            ]
            rng.shuffle(candidates)
            # plentiful lifecycles give their orders first
            candidates.sort(
                key=lambda o: o["scenario"] not in ("paid", "delivered", "invoiced")
            )
            for order in candidates:
                if counts[scenario] >= minimum:
                    break
                if counts[order["scenario"]] <= SCENARIO_MINIMUM[order["scenario"]]:
                    continue
                counts[order["scenario"]] -= 1
                order["scenario"] = scenario
                counts[scenario] += 1

    @api.model
    def _plan_dates(self, order, today):
        """Dates of each step, never after today."""
        day = today - timedelta(days=order["age"])
        order["date_order"] = datetime(
            day.year, day.month, day.day, order["hour"], order["minute"]
        )
        delivery = min(today, day + timedelta(days=order["delivery_lag"]))
        order["date_delivery"] = datetime(
            delivery.year, delivery.month, delivery.day, 15, 0
        )
        order["date_invoice"] = delivery
        order["date_payment"] = min(
            today, delivery + timedelta(days=order["payment_lag"])
        )
        order["date_return"] = min(
            today, delivery + timedelta(days=order["return_lag"])
        )
        order["date_refund"] = min(today, order["date_return"] + timedelta(days=2))

    # === NOTES === #
    # GENERATION (ORM)

    @api.model
    def _generate_demo_data(self, seed=DEMO_SEED, today=None):
        """Entry point of demo/crm_order_unified_demo.xml: build the demo company
        once (a second call finds its customers and does nothing)."""
        if self.env.ref(
            f"{DEMO_MODULE}.cou_demo_customer_01", raise_if_not_found=False
        ):
            return False
        start = time.time()
        today = today or fields.Date.context_today(self)
        plan = self._get_demo_plan(seed=seed, today=today)
        gen = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
            mail_notify_force_send=False,
            no_reset_password=True,
            # the Customer 360 figures are refreshed once at the end
            cou_skip_customer_360=True,
        ).with_company(self.env.company)
        gen.env["ir.config_parameter"].sudo().set_param(
            ANCHOR_PARAM, fields.Date.to_string(today)
        )
        foreign = gen._demo_setup_currency(today)
        users = gen._demo_create_salespeople()
        products = gen._demo_create_products(plan, today)
        partners = gen._demo_create_customers(plan, users, foreign)
        _logger.info(
            "crm_order_unified demo: master data in %.1f s", time.time() - start
        )
        gen._demo_create_orders(plan, partners, products, users)
        Partner = gen.env["res.partner"].with_context(cou_skip_customer_360=False)
        if hasattr(Partner, "_cou_refresh_customer_360_all"):
            Partner._cou_refresh_customer_360_all()
        _logger.info(
            "crm_order_unified demo: %d customers, %d orders built in %.1f s",
            len(plan["customers"]),
            len(plan["orders"]),
            time.time() - start,
        )
        return True

    def _demo_xmlids(self, pairs):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"{DEMO_MODULE}.{ref}",
                    "record": record,
                    "noupdate": True,
                }
                for ref, record in pairs
            ]
        )

    def _demo_setup_currency(self, today):
        """The foreign currency (EUR, or USD when the company works in EUR),
        activated, with a monthly rate over the history and its own pricelist."""
        company = self.env.company
        code = "USD" if company.currency_id.name == "EUR" else "EUR"
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", code)], limit=1)
        )
        currency.active = True
        Rate = self.env["res.currency.rate"]
        existing = set(
            Rate.search(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", [company.id, False]),
                ]
            ).mapped("name")
        )
        base = 0.92 if code == "EUR" else 1.08
        rates = []
        month = date(today.year, today.month, 1)
        for i in range(HISTORY_DAYS // 30 + 3):
            if month not in existing:
                rates.append(
                    {
                        "name": month,
                        "currency_id": currency.id,
                        "company_id": company.id,
                        "rate": round(base + 0.03 * ((i * 7) % 5 - 2) / 2, 4),
                    }
                )
            month = (month - timedelta(days=1)).replace(day=1)
        Rate.create(rates)
        pricelist = self.env["product.pricelist"].create(
            {
                "name": f"Europe ({code})",
                "currency_id": currency.id,
                "company_id": company.id,
            }
        )
        self._demo_xmlids([("cou_demo_pricelist_foreign", pricelist)])
        return pricelist

    def _demo_create_salespeople(self):
        team = self.env["crm.team"].search(
            [("company_id", "in", [self.env.company.id, False])], limit=1
        )
        users = self.env["res.users"].create(
            [
                {
                    "name": name,
                    "login": login,
                    "email": login,
                    "company_id": self.env.company.id,
                    "company_ids": [(6, 0, self.env.company.ids)],
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                self.env.ref("sales_team.group_sale_salesman").id,
                                self.env.ref("stock.group_stock_user").id,
                            ],
                        )
                    ],
                }
                for name, login in SALESPEOPLE
            ]
        )
        if team:
            self.env["crm.team.member"].create(
                [{"crm_team_id": team.id, "user_id": u.id} for u in users]
            )
        self._demo_xmlids(
            [("cou_demo_user_salesman_%d" % (i + 1), u) for i, u in enumerate(users)]
        )
        return users

    def _demo_create_products(self, plan, today):
        Category = self.env["product.category"]
        parent = self.env.ref("product.product_category_all", raise_if_not_found=False)
        categs = {}
        for categ, _season, _items in PRODUCT_CATALOG:
            categs[categ] = Category.create(
                {"name": categ, "parent_id": parent.id if parent else False}
            )
        self._demo_xmlids(
            [
                ("cou_demo_category_%d" % (i + 1), c)
                for i, c in enumerate(categs.values())
            ]
        )
        templates = self.env["product.template"].create(
            [
                {
                    "name": p["name"],
                    "default_code": p["code"],
                    "categ_id": categs[p["categ"]].id,
                    "type": "consu",
                    "is_storable": True,
                    "invoice_policy": "delivery",
                    "list_price": p["list_price"],
                    "standard_price": p["standard_price"],
                    "sale_ok": True,
                }
                for p in plan["products"]
            ]
        )
        products = templates.product_variant_id
        self._demo_xmlids(
            [
                (p["ref"], prod)
                for p, prod in zip(plan["products"], products, strict=False)
            ]
        )
        # opening stock, dated before the history starts
        warehouse = self._demo_warehouse()
        quants = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": prod.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": 20000,
                    }
                    for prod in products
                ]
            )
        )
        quants.action_apply_inventory()
        opening = datetime.combine(
            today - timedelta(days=HISTORY_DAYS + 10), datetime.min.time()
        )
        moves = self.env["stock.move"].search(
            [("product_id", "in", products.ids), ("is_inventory", "=", True)]
        )
        moves.write({"date": opening})
        moves.move_line_ids.write({"date": opening})
        return products

    def _demo_warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    def _demo_create_customers(self, plan, users, foreign_pricelist):
        """Create the customers; returns, per plan customer, a dict with the
        commercial partner, its contacts and its delivery address."""
        countries = {c.code.lower(): c for c in self.env["res.country"].search([])}
        terms = {
            "30days": self.env.ref("account.account_payment_term_30days"),
            "immediate": self.env.ref("account.account_payment_term_immediate"),
        }
        Partner = self.env["res.partner"]
        vals = []
        for cust in plan["customers"]:
            vals.append(
                {
                    "name": cust["name"],
                    "is_company": cust["is_company"],
                    "company_type": "company" if cust["is_company"] else "person",
                    "street": cust["street"],
                    "city": cust["city"],
                    "zip": cust["zip"],
                    "country_id": countries[cust["country"]].id,
                    "email": cust["email"],
                    "user_id": users[cust["salesperson"]].id,
                    "property_payment_term_id": terms[cust["terms"]].id,
                    "property_product_pricelist": foreign_pricelist.id
                    if cust["foreign"]
                    else False,
                    "customer_rank": 1,
                    "comment": CUSTOMER_NOTES[
                        (len(vals) // NOTE_EVERY) % len(CUSTOMER_NOTES)
                    ]
                    if len(vals) % NOTE_EVERY == 0
                    else False,
                }
            )
        partners = Partner.create(vals)
        self._demo_xmlids(
            [(c["ref"], p) for c, p in zip(plan["customers"], partners, strict=False)]
        )
        child_vals, owners = [], []
        for idx, (cust, partner) in enumerate(
            zip(plan["customers"], partners, strict=False)
        ):
            for contact in cust["contacts"]:
                child_vals.append(
                    {
                        "name": contact["name"],
                        "email": contact["email"],
                        "function": contact["function"],
                        "parent_id": partner.id,
                        "type": "contact",
                    }
                )
                owners.append((idx, "contact"))
            if cust["delivery"]:
                child_vals.append(
                    {
                        "name": f"{cust['city']} Warehouse",
                        "parent_id": partner.id,
                        "type": "delivery",
                        "street": f"{cust['street']} (warehouse)",
                        "city": cust["city"],
                        "zip": cust["zip"],
                        "country_id": countries[cust["country"]].id,
                    }
                )
                owners.append((idx, "delivery"))
        children = Partner.create(child_vals)
        result = [{"partner": p, "contacts": [], "delivery": False} for p in partners]
        for (idx, kind), child in zip(owners, children, strict=False):
            if kind == "contact":
                result[idx]["contacts"].append(child)
            else:
                result[idx]["delivery"] = child
        return result

    def _demo_create_orders(self, plan, partners, products, users):
        porders = plan["orders"]
        vals = []
        for po in porders:
            entry = partners[po["customer"]]
            partner = (
                entry["contacts"][po["contact"]]
                if po["contact"] is not None
                else entry["partner"]
            )
            commercial = entry["partner"]
            vals.append(
                {
                    "partner_id": partner.id,
                    "partner_invoice_id": commercial.id,
                    "partner_shipping_id": (entry["delivery"] or partner).id
                    if po["ship_to_delivery"]
                    else partner.id,
                    "user_id": users[
                        plan["customers"][po["customer"]]["salesperson"]
                    ].id,
                    "date_order": po["date_order"],
                    "order_line": [
                        (
                            0,
                            0,
                            {"product_id": products[pidx].id, "product_uom_qty": qty},
                        )
                        for pidx, qty in po["lines"]
                    ],
                }
            )
        orders = self.env["sale.order"].create(vals)
        by_scenario = defaultdict(lambda: self.env["sale.order"])
        for po, order in zip(porders, orders, strict=False):
            by_scenario[po["scenario"]] |= order
        dates = {order.id: po for po, order in zip(porders, orders, strict=False)}

        clock = [time.time()]

        def step(name):
            _logger.info(
                "crm_order_unified demo: %s in %.1f s", name, time.time() - clock[0]
            )
            clock[0] = time.time()

        step("orders created")

        def pick(*scenarios):
            return self.env["sale.order"].union(*(by_scenario[s] for s in scenarios))

        # quotations: sent ones are marked sent; some cancelled ones never got confirmed
        pick("sent").action_quotation_sent()
        cancelled = by_scenario["cancel"]
        cancel_confirmed = cancelled.filtered(lambda o: dates[o.id]["roll"] < 0.02)
        # confirmation (creates the deliveries), dated back to the order day
        confirmed = (
            orders.filtered(
                lambda o: dates[o.id]["scenario"] not in ("draft", "sent", "cancel")
            )
            | cancel_confirmed
        )
        confirmed.action_confirm()
        self._demo_write_by_date(
            confirmed, lambda o: {"date_order": dates[o.id]["date_order"]}
        )
        cancelled.with_context(disable_cancel_warning=True).action_cancel()
        step("orders confirmed")
        # deliveries
        delivered = confirmed - pick("confirmed") - cancelled
        self._demo_deliver(delivered, pick("partial"), dates)
        step("deliveries done")
        # invoices
        invoiced = delivered - pick("partial", "delivered")
        invoices = self._demo_invoice(
            invoiced, dates, post_except=pick("invoice_draft")
        )
        step("invoices posted")
        inv_of = {
            inv.invoice_line_ids.sale_line_ids.order_id.id: inv for inv in invoices
        }
        # payments
        paid = pick("paid", "returned", "refunded")
        self._demo_pay(
            self.env["account.move"].union(*(inv_of[o.id] for o in paid)),
            {inv_of[o.id].id: dates[o.id]["date_payment"] for o in paid},
        )
        for order in pick("partial_paid"):
            inv = inv_of[order.id]
            self._demo_pay(inv, {inv.id: dates[order.id]["date_payment"]}, ratio=0.4)
        step("payments registered")
        # returns, and refunds for some of them
        self._demo_return(pick("returned", "refunded"), pick("refunded"), dates)
        step("returns and refunds done")
        self._demo_schedule_open_deliveries(orders, dates, plan["today"])
        self._demo_backdate(orders, dates)

    def _demo_write_by_date(self, records, get_vals):
        groups = defaultdict(list)
        for rec in records:
            vals = get_vals(rec)
            groups[tuple(sorted(vals.items()))].append(rec.id)
        for key, ids in groups.items():
            records.browse(ids).write(dict(key))

    def _demo_deliver(self, orders, partial_orders, dates):
        pickings = orders.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        pickings.action_assign()
        partial = pickings.filtered(lambda p: p.sale_id in partial_orders)
        for picking in partial:
            for i, move in enumerate(picking.move_ids.sorted("id")):
                move.quantity = max(1, move.product_uom_qty // 2) if i == 0 else 0
        pickings.move_ids.picked = True
        full = pickings - partial
        full.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=full.ids
        ).button_validate()
        partial.with_context(skip_backorder=True).button_validate()
        done = pickings.filtered(lambda p: p.state == "done")
        self._demo_write_by_date(
            done, lambda p: {"date_done": dates[p.sale_id.id]["date_delivery"]}
        )
        backorders = orders.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for picking in done | backorders:
            when = dates[picking.sale_id.id]["date_delivery"]
            moves = picking.move_ids.filtered(lambda m: m.state == "done")
            moves.write({"date": when})
            moves.move_line_ids.write({"date": when})

    def _demo_invoice(self, orders, dates, post_except):
        # Each invoice is created on its date, not dated afterwards: changing
        # the date of a draft invoice in a foreign currency converts its tax
        # line as one amount, where resetting it to draft (as Odoo's own
        # tests do with every entry) converts each order line's tax, one
        # cent apart; a paid invoice's payment term line could then not be
        # recomputed (reconciled lines are frozen).
        by_date = defaultdict(list)
        for order in orders:
            by_date[dates[order.id]["date_invoice"]].append(order.id)
        invoices = self.env["account.move"]
        for day, order_ids in sorted(by_date.items()):
            invoices |= (
                orders.browse(order_ids)
                .with_context(default_move_type="out_invoice", default_invoice_date=day)
                ._create_invoices(grouped=True)
            )
        order_of = {}
        for inv in invoices:
            order = inv.invoice_line_ids.sale_line_ids.order_id
            order_of[inv.id] = order
        to_post = invoices.filtered(lambda i: order_of[i.id] not in post_except).sorted(
            lambda i: (i.invoice_date, i.id)
        )
        to_post.action_post()
        return invoices

    def _demo_pay(self, moves, pay_dates, ratio=1.0):
        """Register one payment per invoice or credit note on its date and
        reconcile it, as the "Register Payment" wizard does, for all at once."""
        if not moves:
            return
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1
        )
        receivables = {
            move.id: move.line_ids.filtered(
                lambda aml: aml.account_type == "asset_receivable"
                and not aml.reconciled
            )
            for move in moves
        }
        payments = (
            self.env["account.payment"]
            .with_context(skip_invoice_sync=True)
            .create(
                [
                    {
                        "date": pay_dates[move.id],
                        "amount": move.currency_id.round(move.amount_residual * ratio),
                        "payment_type": "inbound"
                        if move.move_type == "out_invoice"
                        else "outbound",
                        "partner_type": "customer",
                        "memo": move.name,
                        "journal_id": journal.id,
                        "company_id": move.company_id.id,
                        "currency_id": move.currency_id.id,
                        "partner_id": move.commercial_partner_id.id,
                        "destination_account_id": receivables[move.id]
                        .account_id[:1]
                        .id,
                    }
                    for move in moves
                ]
            )
        )
        payments.action_post()
        plan = []
        for move, payment in zip(moves, payments, strict=False):
            payment_lines = payment.move_id.line_ids.filtered(
                lambda aml, move=move: aml.account_id
                == receivables[move.id].account_id[:1]
            )
            plan.append(payment_lines | receivables[move.id])
            move.matched_payment_ids += payment
        self.env["account.move.line"]._reconcile_plan(plan)

    def _demo_return(self, orders, refund_orders, dates):
        returns = self.env["stock.picking"]
        for order in orders:
            picking = order.picking_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing"
            )[:1]
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({"picking_id": picking.id})
            )
            full = order in refund_orders
            for i, line in enumerate(wizard.product_return_moves.sorted("id")):
                if full or i == 0:
                    line.quantity = (
                        line.move_id.quantity
                        if full
                        else max(1, line.move_id.quantity // 4)
                    )
                else:
                    line.quantity = 0
            returns |= wizard._create_return()
        returns.move_ids.picked = True
        returns.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=returns.ids
        ).button_validate()
        for picking in returns:
            when = datetime.combine(
                dates[picking.sale_id.id]["date_return"], datetime.min.time()
            ) + timedelta(hours=11)
            picking.date_done = when
            picking.move_ids.write({"date": when})
            picking.move_ids.move_line_ids.write({"date": when})
        # credit notes for the returned quantities, posted and paid back
        refunds = refund_orders._create_invoices(final=True, grouped=True)
        for refund in refunds:
            refund.invoice_date = dates[
                refund.invoice_line_ids.sale_line_ids.order_id.id
            ]["date_refund"]
        refunds.sorted(lambda m: (m.invoice_date, m.id)).action_post()
        self._demo_pay(refunds, {r.id: r.invoice_date for r in refunds})

    def _demo_schedule_open_deliveries(self, orders, dates, today):
        """Open deliveries scheduled as the story goes, around the demo's
        day: the order day plus its delivery lag (a few days after an old
        order: late), a backorder a week after its first delivery, and about
        one in three postponed to the coming days (upcoming)."""
        open_pickings = orders.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
            and p.state not in ("done", "cancel")
        )
        now = datetime.combine(today, datetime.min.time())
        for picking in open_pickings:
            po = dates[picking.sale_id.id]
            lag = timedelta(days=po["delivery_lag"])
            if picking.backorder_id:
                when = po["date_delivery"] + timedelta(days=7)
            else:
                when = po["date_order"] + lag
            if po["minute"] % 3 == 0:  # postponed (the minute: an even spread)
                when = now + lag + timedelta(hours=10)
            picking.scheduled_date = when

    def _demo_backdate(self, orders, dates):
        """Creation dates follow the story (the ORM cannot write them)."""
        self.env.flush_all()
        rows = []
        for order in orders:
            rows.append(("sale_order", order.id, dates[order.id]["date_order"]))
            for picking in order.picking_ids:
                rows.append(
                    (
                        "stock_picking",
                        picking.id,
                        picking.date_done or dates[order.id]["date_order"],
                    )
                )
            for move in order.invoice_ids:
                rows.append(
                    (
                        "account_move",
                        move.id,
                        datetime.combine(move.invoice_date, datetime.min.time())
                        + timedelta(hours=16)
                        if move.invoice_date
                        else dates[order.id]["date_delivery"],
                    )
                )
        by_table = defaultdict(list)
        for table, rid, when in rows:
            by_table[table].append(SQL("(%s, %s::timestamp)", rid, when))
        for table, values in by_table.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s AS t SET create_date = v.d FROM (VALUES "
                    "%(values)s) AS v(id, d) WHERE t.id = v.id",
                    table=SQL.identifier(table),
                    values=SQL(", ").join(values),
                )
            )
        self.env.invalidate_all()
