# feedd: the two commands a newcomer needs.
#   make run    the daemon on config.yaml: polls the sources, writes the feeds and serves them on 127.0.0.1:8080
#   make test   run the whole test suite
# Each installs the system packages it needs when they are missing.

APT_DEPS := libxml2-dev libcurl4-openssl-dev libsqlite3-dev pkg-config
# The tests start a throwaway PostgreSQL 15 of their own (Tests/FeedTestSupport/TestPostgres.swift).
TEST_APT_DEPS := postgresql
CONFIG   ?= config.yaml
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps build bench-build code-order run demo refresh test check bench-normalize fuzz screenshots clean

deps:
	@missing=""; for p in $(APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The JSON Feed tests validate feed.json with Python's jsonschema (PyPI).
test-deps: deps
	@missing=""; for p in $(TEST_APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import jsonschema' 2>/dev/null || { \
		python3 -m pip --version >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-pip; }; \
		echo "installing: jsonschema (pip)"; \
		python3 -m pip install -q jsonschema 2>/dev/null || python3 -m pip install -q --user --break-system-packages jsonschema; \
	}

# The installed daemon: the Swift runtime linked in (runs without a toolchain),
# linked by lld with packed relative relocations and no exported symbols,
# which keeps ~6 MB of relocation and symbol tables out of its resident memory.
# Each function in a section of its own, and the code a daemon runs laid out
# together in the order tools/code-order/feedd.order.gz lists (`make
# code-order` writes it): the kernel maps code 64 KiB around each page run,
# so scattered hot code kept ~16 MB of it resident, packed ~11 MB.
# The list is copied to a path named by its checksum: SwiftPM relinks when its
# flags change, not when a file they name does.
CODE_ORDER    := $(CURDIR)/.build/feedd-$(shell cksum < tools/code-order/feedd.order.gz | cut -d' ' -f1).order
RELEASE_FLAGS := --static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
                 -Xlinker --icf=all -Xlinker --no-export-dynamic \
                 -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
                 -Xlinker --symbol-ordering-file=$(CODE_ORDER) -Xlinker --no-warn-symbol-ordering

$(CODE_ORDER): tools/code-order/feedd.order.gz
	@mkdir -p .build && gzip -dc $< > $@.tmp && mv $@.tmp $@

build: deps $(CODE_ORDER)
	swift build -c release --product feedd $(RELEASE_FLAGS)

# Rewrites tools/code-order/feedd.order.gz from what this build runs (a daemon
# polling, fetching, rendering and serving; a refresh; the demo's sources):
# link with a map, trace, link again. After code changes that move hot paths.
code-order: build
	swift build -c release --product feedd $(RELEASE_FLAGS) -Xlinker -Map=$(CURDIR)/.build/feedd.map -Xlinker --no-demangle
	python3 tools/code-order/train.py .build/release/feedd .build/feedd.map tools/code-order/feedd.order.gz
	rm -f .build/feedd.map
	$(MAKE) build

# A benchmark's binary, built with the daemon's flags (other flags would rebuild
# .build/release's modules each time one or the other is built): PRODUCT=feedd-bench-…
bench-build: deps $(CODE_ORDER)
	swift build -c release --product $(PRODUCT) $(RELEASE_FLAGS)

run: build
	.build/release/feedd run --config $(CONFIG)

# The same daemon on the offline demo config (file: sources beside it).
demo: build
	.build/release/feedd run --config demo/config.yaml

# One poll of every source, then exit (what `feedd refresh` does).
refresh: build
	.build/release/feedd refresh --config $(CONFIG)

check: build
	.build/release/feedd check --config $(CONFIG)

# Serially: many tests start feedd processes and loopback servers and time what they do;
# run side by side on two cores they starve each other's Dispatch threads (seconds-long stalls).
test: test-deps
	swift test --no-parallel

# libFuzzer + AddressSanitizer over every parser, FUZZ_SECONDS each (Fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

# The site's pages as a browser shows them: headless Chromium (and a CJK font for it) from the
# system packages, PNGs of /, a category page and an article page at phone and desktop widths.
screenshots: build
	@command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
		echo "installing: chromium fonts-noto-cjk"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; }
	tools/screenshots.sh

clean:
	rm -rf .build .build-fuzz data public screenshots
