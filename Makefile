# gameevents: build, test and run. `make` alone lists the targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_JOBS ?= 2
CMAKE_ARGS ?=
PG_PORT    ?= 25432
PG_DIR     ?= $(CURDIR)/var/pg
DB_NAME    ?= gameevents
HTTP_PORT  ?= 8086
# Below Linux's ephemeral range (32768-60999): a port there can be held by any outgoing connection
# (the connection-flood tests open 10,000), and a cluster then fails to bind.
# make replica: a streaming hot standby of the private cluster, beside it.
REPLICA_DIR  ?= $(CURDIR)/var/pg-replica
REPLICA_PORT ?= $(shell echo $$(( $(PG_PORT) + 10 )))
TEST_PG_PORT ?= 25433
ASAN_PG_PORT ?= 25434
RELEASE_PG_PORT ?= 25435
FUZZ_SECONDS ?= 600
DASHBOARD_RUNS ?= 5
EVENTS     ?= data/events.jsonl
RATES      ?= data/exchange_rates.jsonl
LOAD_ARGS  ?=
PGCLUSTER  := $(CURDIR)/scripts/pgcluster

# DATABASE_URL given on the command line or in the environment: evload and evserve both use that
# server (READER_URL, if given, for evserve) and the private cluster is left alone. Otherwise: the
# private cluster in $(PG_DIR), started on demand, with evload connecting as the loader role and
# evserve as the read-only role (sql/roles.sql).
ifeq ($(origin DATABASE_URL),undefined)
DATABASE_URL := postgresql://ev_loader@127.0.0.1:$(PG_PORT)/$(DB_NAME)
READER_URL   ?= postgresql://ev_reader@127.0.0.1:$(PG_PORT)/$(DB_NAME)
DB_TARGET := db
else
READER_URL   ?= $(DATABASE_URL)
DB_TARGET :=
endif

# make run serves on the machine that also runs its PostgreSQL: half the cores for evserve's I/O
# threads (measured: on 2 cores, 1 thread answers 1.8x the requests of 2 at a quarter of the p99),
# and loopback only. A host of its own keeps evserve's defaults (every core, --listen 0.0.0.0).
RUN_THREADS    ?= $(shell n=$$(( $(JOBS) / 2 )); echo $$(( n > 0 ? n : 1 )))
RUN_SERVE_ARGS ?= --threads $(RUN_THREADS) --listen 127.0.0.1

# The presets of CMakePresets.json: dev (build/), asan (build-asan/), fuzz (build-fuzz/), release
# (build-release/). The test cluster's port is this checkout's, given on the command line.
configure = cmake --preset $(1) $(2) $(CMAKE_ARGS)

.PHONY: help deps configure binaries build test test-asan release fuzz format format-check tidy db replica stop load run bench-load bench-serve bench-dashboard bench-replicas soak clean

help: ## list the targets
	@echo "usage: make TARGET [DATABASE_URL=postgresql://...] [PG_PORT=$(PG_PORT)]"
	@awk -F ':.*## ' '/^[a-z][a-zA-Z_-]*:.*## / { printf "  %-11s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

deps: ## install the missing Debian packages (scripts/packages.txt)
	@scripts/deps

configure: deps
	@$(call configure,dev,-DGE_TEST_PG_PORT=$(TEST_PG_PORT)) >/dev/null

binaries: configure ## build only evload and evserve into build/ (what make run needs)
	@cmake --build --preset dev -j$(JOBS) --target evload evserve

build: configure ## configure and build everything, tests included, into build/ (preset dev: RelWithDebInfo, warnings are errors)
	@cmake --build --preset dev -j$(JOBS)

test: build ## build, then run every test (ctest)
	@ctest --preset dev -j$(CTEST_JOBS)

test-asan: deps ## build into build-asan/ with ASan+UBSan (preset asan: Debug), then run every test (test DB port ASAN_PG_PORT)
	@$(call configure,asan,-DGE_TEST_PG_PORT=$(ASAN_PG_PORT)) >/dev/null
	@cmake --build --preset asan -j$(JOBS)
	@ctest --preset asan -j$(CTEST_JOBS)

release: deps ## build into build-release/ at -O3 (preset release, the Dockerfile's build type), then run every test
	@$(call configure,release,-DGE_TEST_PG_PORT=$(RELEASE_PG_PORT)) >/dev/null
	@cmake --build --preset release -j$(JOBS)
	@ctest --preset release -j$(CTEST_JOBS)

fuzz: deps ## libFuzzer (clang-14, ASan+UBSan, build-fuzz/): each target FUZZ_SECONDS (600) from its seeds (scripts/fuzz)
	@scripts/fuzz --seconds $(FUZZ_SECONDS)

db: deps ## start the private PostgreSQL in var/pg (port PG_PORT) with database gameevents and its roles
	@$(PGCLUSTER) start $(PG_DIR) $(PG_PORT) >/dev/null
	@$(PGCLUSTER) createdb $(PG_DIR) $(DB_NAME)

replica: db ## start a streaming hot standby of it in var/pg-replica (port REPLICA_PORT = PG_PORT + 10)
	@$(PGCLUSTER) standby $(REPLICA_DIR) $(PG_DIR) $(REPLICA_PORT) >/dev/null
	@echo "standby of $(PG_DIR) running on port $(REPLICA_PORT): $$($(PGCLUSTER) url $(REPLICA_DIR) | sed 's|/postgres$$|/$(DB_NAME)|')"
	@echo "serve from it (the primary when it is down), with /readyz failing past 5 s of replay lag:"
	@echo "  make run READER_URL='postgresql://ev_reader@127.0.0.1:$(REPLICA_PORT),127.0.0.1:$(PG_PORT)/$(DB_NAME)?target_session_attrs=prefer-standby' RUN_SERVE_ARGS='$(RUN_SERVE_ARGS) --max-replica-lag-ms 5000'"

stop: ## stop the private PostgreSQL (and its standby, if any)
	@$(PGCLUSTER) stop $(REPLICA_DIR)
	@$(PGCLUSTER) stop $(PG_DIR)

load: binaries $(DB_TARGET) ## load data/events.jsonl (EVENTS=..., LOAD_ARGS=--force ...) into DATABASE_URL with evload
	@for f in $(EVENTS) $(RATES); do [[ -f $$f ]] || { echo "make: $$f is missing (EVENTS=... RATES=... to load other files)" >&2; exit 1; }; done
	build/etl/evload load --events $(EVENTS) --rates $(RATES) --db "$(DATABASE_URL)" $(LOAD_ARGS)

run: load ## load, then serve the stats API on HTTP_PORT (8086) in the foreground
	@echo "evserve on http://localhost:$(HTTP_PORT)/ (sharing this machine with its PostgreSQL: $(RUN_SERVE_ARGS)); try:"
	@echo "  curl -s localhost:$(HTTP_PORT)/healthz"
	@echo "  curl -s localhost:$(HTTP_PORT)/v1/game/stats"
	@echo "  curl -s 'localhost:$(HTTP_PORT)/v1/game/stats?group_by=country'"
	build/server/evserve --db "$(READER_URL)" --port $(HTTP_PORT) $(RUN_SERVE_ARGS)

bench-load: build ## evload on 10M generated events (plain, 15 .gz, 15 .zst) beside a raw-line COPY (scripts/bench-load)
	@scripts/bench-load

bench-serve: build ## wrk against evserve beside pgbench -S on the bench-load dataset; the §7 daily series and retention at 1M and 10M events (scripts/bench-serve)
	@scripts/bench-serve

bench-dashboard: binaries ## the dashboard's time to a fully drawn page in headless Chromium, cold and warm, DASHBOARD_RUNS (5) each (nordeus-like fixture)
	@tests/browser/run.sh --evserve build/server/evserve --evload build/etl/evload --pgcluster $(PGCLUSTER) \
	  --cluster-dir $(CURDIR)/build/pg-browser-timing --port $$(( $(TEST_PG_PORT) + 5 )) --fixture tests/fixtures/nordeus-like \
	  --node-dir $(CURDIR)/build/browser-test --screenshots $(CURDIR)/build/browser-screenshots --timing-runs $(DASHBOARD_RUNS)

bench-replicas: build ## one primary, two hot standbys, evserve on each under wrk during reloads; the lock-conflict hazard (scripts/bench-replicas)
	@scripts/bench-replicas

soak: build ## 10 min of mixed wrk traffic (256 connections) with a reload a minute: errors, p99, RSS (scripts/soak)
	@scripts/soak

format: ## apply .clang-format to every C++ source in git (scripts/format)
	@scripts/format

format-check: ## list the C++ sources that .clang-format would change; fails if any (scripts/format --check)
	@scripts/format --check

tidy: configure ## clang-tidy (.clang-tidy) over the project's sources, with build/compile_commands.json (scripts/tidy)
	@scripts/tidy -j $(JOBS)

clean: ## remove the build directories (var/ and its database stay)
	rm -rf build build-asan build-fuzz build-release
