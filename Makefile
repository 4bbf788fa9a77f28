# Sealroom. `make run` and `make test` set up what they need themselves.
SHELL      := /bin/sh
GO         ?= go
BIN        := bin
FUZZTIME   ?= 30s
BENCHCOUNT ?= 5
EVALMESSAGES ?= 200000

# Debian packages each target needs (installed by scripts/deps.sh). The
# workbench links OpenGL and X11 through cgo (Fyne's GLFW driver): the
# packages Fyne's documentation lists for Debian.
GUI_DEBS  := gcc pkg-config libgl1-mesa-dev xorg-dev
TEST_DEBS := gnupg ca-certificates dbus $(GUI_DEBS)
RUN_DEBS  := gnupg $(GUI_DEBS) fonts-noto-cjk fonts-noto-core

# Packages that must never reach Fyne (only app/ and main.go may).
LOGIC_PKGS := ./capture/... ./vault/... ./crypto/... ./cmd/sealctl/...

.PHONY: all
all: build

.PHONY: deps-test
deps-test:
	@scripts/deps.sh $(TEST_DEBS)
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/ (Debian's golang package is too old)"; exit 1; }

.PHONY: deps-run
deps-run:
	@scripts/deps.sh $(RUN_DEBS)
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/ (Debian's golang package is too old)"; exit 1; }

.PHONY: build
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/sealctl ./cmd/sealctl
	$(GO) build -tags migrated_fynedo -o $(BIN)/sealroom .

# The workbench on the demo vault, made once by the narrated demo (make demo).
.PHONY: run
run: deps-run build
	@[ -f demo/demo.vault ] || { echo "creating the demo vault in ./demo (scripts/demo.sh, log in demo-setup.log)"; scripts/demo.sh >demo-setup.log 2>&1 || { cat demo-setup.log; exit 1; }; }
	@echo "opening the workbench as Rita the reviewer: her passphrase is demo-rita (README.md lists the others)"
	@# A root shell's "C" locale is no language: the workbench speaks English then.
	@case "$${LANG:-C}" in C|C.*|POSIX) LANG=en_US.UTF-8;; esac; export LANG; \
	SEALROOM_STATE_DIR=demo/state $(BIN)/sealroom --vault demo/demo.vault --key demo/rita.asc

# Screenshots of the whole story in the real workbench under Xvfb, driven
# with xdotool (reviewer asks, two officers approve, reviewer reads, auditor
# verifies; then the Chinese UI), into docs/screenshots/.
.PHONY: screenshots
screenshots: deps-run build
	@scripts/deps.sh xvfb xdotool imagemagick
	scripts/screenshots.sh

# The narrated end-to-end demo of sealctl: recreates ./demo.
.PHONY: demo
demo: deps-run build
	scripts/demo.sh

.PHONY: test
test: deps-test check-imports
	$(GO) vet ./...
	$(GO) test -race -tags migrated_fynedo -timeout 15m ./...
	$(GO) test -count=1 -run 'ByteFlip' ./vault/
	CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/sealctl
	scripts/e2e.sh

.PHONY: check-imports
check-imports:
	@if $(GO) list -deps $(LOGIC_PKGS) | grep -q '^fyne.io/'; then \
		echo "Fyne is reached from a logic package; only app/ and main.go may import it"; exit 1; fi
	@if $(GO) list -f '{{join .Imports "\n"}}' ./crypto/... | grep -qE '^math/(big|rand)'; then \
		echo "crypto/ imports math/big or math/rand"; exit 1; fi
	@echo "import check: logic packages are free of Fyne; crypto/ is free of math/big and math/rand"

.PHONY: lint
lint: check-imports
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); [ -z "$$out" ] || { echo "gofmt would change: $$out"; exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

.PHONY: bench
bench: deps-run
	@scripts/deps.sh xvfb xdotool time
	scripts/bench.sh $(BENCHCOUNT)

# The review engine against ground truth and the npm PII redactors.
.PHONY: eval
eval:
	scripts/eval.sh $(EVALMESSAGES)

.PHONY: fuzz
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

.PHONY: soak
soak:
	SEALROOM_SOAK=1 $(GO) test -timeout 3h -run 'ByteFlip|CreateKill|IngestKilled|CompactKilled' -v ./vault/... ./cmd/sealctl/

.PHONY: package
package: build
	mkdir -p build && tar -C $(BIN) -czf build/sealctl-linux-$$($(GO) env GOARCH).tar.gz sealctl
	@echo "build/sealctl-linux-$$($(GO) env GOARCH).tar.gz"

.PHONY: clean
clean:
	rm -rf $(BIN) build demo

# Peak RSS of `sealctl ingest` of a WhatsApp .zip holding one 1 GiB video
# (streamed into the vault), then 512 videos of 2 MiB (sealed in batches).
.PHONY: media-bench
media-bench:
	scripts/media-bench.sh 1024 1
	scripts/media-bench.sh 1024 512

# The workbench on a 1,000,000-message vault under Xvfb (--trace timings,
# peak RSS); also part of make bench.
.PHONY: gui-bench
gui-bench: deps-run
	@scripts/deps.sh xvfb xdotool
	scripts/gui-bench.sh

.PHONY: bench-peers
bench-peers:
	scripts/bench-peers.sh $(BENCHCOUNT)

# A generated corpus of 1,000,000 messages imported into a vault: every
# message present exactly once (count, re-import, two-officer unlocks).
.PHONY: corpus-check
corpus-check:
	SEALROOM_CORPUS_MESSAGES=1000000 $(GO) test -timeout 60m -run TestCorpusIngest -v ./capture/importers/
