# crm_order_unified: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run test lint bench import i18n docker-check odoo-tests

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Install everything needed (Debian packages as root, venv, PostgreSQL); fast when done
	@bash scripts/setup.sh

run: ## Set up, then start Odoo with the addon and demo data on http://localhost:8069 (admin/admin)
	@bash scripts/run.sh

test: ## Run make lint, then all tests of all addons (UI tours + pytest-odoo) on a throwaway database
	@bash scripts/test.sh

lint: ## Lint as the OCA does (ruff, ruff-format, pylint-odoo, prettier); LINT_ARGS=--fix runs the fixers
	@bash scripts/setup.sh >/dev/null && bash scripts/lint.sh $(LINT_ARGS)

bench: ## Benchmark on generated data; prints JSON (BENCH_ARGS="--customers 100000 --lines 1000000 --reuse")
	@bash scripts/bench.sh $(BENCH_ARGS)

load-test: ## Two Odoo servers (--workers 2) on one database under a bounded JSON-RPC order load while the heavy jobs run; checks and orders per minute (LOAD_SECONDS=60 LOAD_CLIENTS=4)
	@bash scripts/load_test.sh

import: ## Import historical order lines: make import FILE=path.csv [IMPORT_ARGS="--preset online_retail --dry-run"]
	@bash scripts/import.sh "$(FILE)" $(IMPORT_ARGS)

i18n: ## Export the .pot and report terms missing from i18n/ja.po
	@bash scripts/i18n.sh

docker-check: ## Validate docker-compose.yml without a Docker engine
	@docker compose config -q 2>/dev/null || docker-compose config -q

.PHONY: replica-test
replica-test: ## Odoo on the local PostgreSQL and a streaming read replica of it (root; REPLICA_DB=name reuses a database)
	@bash scripts/replica_test.sh

odoo-tests: ## Odoo's own tests of sale, crm, stock, account, mass_mailing... with all addons and demo (long; ODOO_TESTS_MODULES="sale crm")
	@bash scripts/odoo_tests.sh
