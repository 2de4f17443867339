# godark: one Makefile. `make` builds build/godark; `make run` checks the
# bundled examples; `make test` runs every test; `make SAN=1 test` does so
# under AddressSanitizer and UndefinedBehaviorSanitizer. `make fuzz
# FUZZ_SECONDS=N` runs each libFuzzer target N seconds (clang), or replays
# the corpus without clang; `make fuzz-replay` replays it (make test does).

CC      ?= cc
BUILD   ?= build
SAN     ?=
TP      := third_party
TS_DIR  := $(TP)/tree-sitter/vendor/tree-sitter/lib
TSG_DIR := $(TP)/tree-sitter-go/src
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0)

ifeq ($(FUZZ_ENGINE),1)
# libFuzzer build (clang, via `make fuzz`): everything instrumented for coverage
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else ifeq ($(SAN),1)
override BUILD := $(BUILD)-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else
SANFLAGS :=
OPT     := -O2 -g
endif

CFLAGS_COMMON := $(OPT) $(SANFLAGS) -pthread -MMD -MP
CFLAGS  := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Wall -Wextra $(CFLAGS_COMMON) -I$(TS_DIR)/include -DGODARK_VERSION='"$(VERSION)"'
TSFLAGS := -std=gnu11 -w $(CFLAGS_COMMON) -I$(TS_DIR)/include -I$(TS_DIR)/src
LDLIBS  := -pthread -lz -ldl -lm -lyaml
LDFLAGS := $(SANFLAGS)

# lower_ts.c (tree-sitter) is only the differential-test oracle of our parser
SRCS      := $(filter-out src/syntax/lower_ts.c,$(sort $(wildcard src/*/*.c)))
OBJS      := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/main.o
TS_OBJS   := $(BUILD)/ts/lib.o $(BUILD)/ts/parser.o
TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
PKGS_OK   := $(BUILD)/.pkgs-ok
TS_OK     := $(TP)/.deps-ok
DIFF_OBJS := $(BUILD)/tests/parser/parser_diff.o $(BUILD)/src/syntax/lower_ts.o

# Fuzz targets: tests/fuzz/fuzz_<name>.c, each an LLVMFuzzerTestOneInput.
FUZZ_TARGETS := check parse traceback debug1 proto wants
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz-%)
FUZZ_OBJS    := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/replay_main.o
WANTS_OBJ    := $(BUILD)/tests/unit/wants.o

.PHONY: all run test docs docs-check bench clean distclean deps fuzz fuzz-replay fuzz-engine ecosystem parser-diff realbugs install
.SECONDARY: $(FUZZ_OBJS)
all: $(BUILD)/godark

# System packages (zlib, libyaml; libcurl and libmicrohttpd, for watch
# --listen, are dlopened: their headers are needed), checked once per build
# directory (again when this Makefile changes the list).
$(PKGS_OK): tools/need-pkgs.sh Makefile
	@tools/need-pkgs.sh zlib1g-dev libcurl4-openssl-dev libmicrohttpd-dev libyaml-dev
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c | $(PKGS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# tree-sitter, fetched with `npm pack` only for `make parser-diff` (the
# differential test of our parser against tree-sitter-go) and its bench.
deps: $(TS_OK)
$(TS_OK): tools/fetch-deps.sh
	@tools/fetch-deps.sh $(TP)
	@touch $@
$(TS_DIR)/src/lib.c $(TSG_DIR)/parser.c: $(TS_OK)
$(BUILD)/ts/lib.o: $(TS_DIR)/src/lib.c | $(TS_OK)
	@mkdir -p $(@D)
	$(CC) $(TSFLAGS) -c $< -o $@
$(BUILD)/ts/parser.o: $(TSG_DIR)/parser.c | $(TS_OK)
	@mkdir -p $(@D)
	$(CC) $(TSFLAGS) -I$(TSG_DIR) -c $< -o $@
$(BUILD)/src/syntax/lower_ts.o: src/syntax/lower_ts.c | $(TS_OK) $(PKGS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/parser-diff: $(DIFF_OBJS) $(OBJS) $(TS_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# `make parser-diff [DIFF_ARGS=...]`: both parsers on the Go 1.19 and Go 1.26
# standard libraries and the ecosystem corpus; node arrays must be identical
# (tests/parser/run.sh). Fetches tree-sitter; never part of `make test`.
parser-diff: $(BUILD)/parser-diff $(BUILD)/godark
	@BUILD=$(BUILD) tests/parser/run.sh $(DIFF_ARGS)

$(BUILD)/godark: $(MAIN_OBJ) $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/godark-unit: $(TEST_OBJS) $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

run: $(BUILD)/godark
	@echo "== godark check examples/..."
	@$(BUILD)/godark check examples/...; rc=$$?; \
	 if [ $$rc -eq 1 ]; then echo "== godark reported the examples' findings (exit 1 = findings)"; exit 0; \
	 else echo "== unexpected exit $$rc from godark check examples/..."; exit 1; fi

test: $(BUILD)/godark $(BUILD)/godark-unit $(FUZZ_REPLAY)
	@GODARK=$(BUILD)/godark GODARK_UNIT=$(BUILD)/godark-unit BUILD=$(BUILD) FUZZ_BIN=$(BUILD)/fuzz tests/run.sh

# ---- fuzzing (tests/fuzz/README.md) ----
# Replay drivers: the fuzz targets with a plain main() that replays the
# committed corpus and crashers; any compiler.
$(BUILD)/fuzz/replay-%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $(WANTS_OBJ) $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-replay: $(FUZZ_REPLAY)
	@FUZZ_BIN=$(BUILD)/fuzz tests/fuzz/run.sh

# libFuzzer binaries: only in the FUZZ_ENGINE=1 build that `make fuzz` starts.
$(BUILD)/fuzz/fuzz-%: $(BUILD)/tests/fuzz/fuzz_%.o $(WANTS_OBJ) $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)
fuzz-engine: $(FUZZ_BINS)

# `make fuzz FUZZ_SECONDS=N [FUZZ_TARGETS="check proto"]`: N seconds per
# target, one after the other, niced; new inputs go to $(BUILD)-fuzz/corpus,
# crashes to $(BUILD)-fuzz/crashes (copy them to tests/fuzz/regress/<target>/).
fuzz:
ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) BUILD=$(BUILD)-fuzz SAN= FUZZ_ENGINE=1 fuzz-engine
	@tests/fuzz/fuzz.sh $(BUILD)-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
else
	@echo "make fuzz: no $(FUZZ_CC) (apt-get install clang): replaying the corpus instead"
	@$(MAKE) --no-print-directory fuzz-replay
endif

# `make ecosystem [ECO_ARGS=...]`: godark on pinned public modules against the
# committed verdicts (tests/ecosystem/run.py --help); needs the Go module
# proxy, never part of `make test`; writes docs/ecosystem.md.
ecosystem: $(BUILD)/godark
	@tests/ecosystem/run.py --godark $(BUILD)/godark $(ECO_ARGS)

# `make realbugs`: `go test -race` on the race programs of tests/realbugs/
# (Kind: race): each bug version must report a DATA RACE, each fixed version
# pass. Needs Go with cgo; offline (std only); a minute or two; never part
# of `make test` (which measures godark on the same programs).
realbugs:
	@python3 tests/realbugs/measure.py --race

docs: $(BUILD)/godark
	@$(BUILD)/godark docs-gen docs/rules README.md

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the binary and its man
# page (generated from the rule table).
PREFIX ?= /usr/local
install: $(BUILD)/godark
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/godark $(DESTDIR)$(PREFIX)/bin/godark
	$(BUILD)/godark docs-man > $(BUILD)/godark.1
	install -m 644 $(BUILD)/godark.1 $(DESTDIR)$(PREFIX)/share/man/man1/godark.1

# `make bench`: the quick benchmarks side by side (docs/benchmarks.md); the
# peers (go vet, staticcheck; minutes) are `bench/peers.sh $(BUILD)/godark`.
bench: $(BUILD)/godark $(BUILD)/parser-diff
	@bench/parser-speed.sh $(BUILD)/parser-diff
	@bench/check-throughput.sh $(BUILD)/godark

clean:
	rm -rf build build-*
distclean: clean
	rm -rf $(TP)

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(FUZZ_OBJS:.o=.d) $(DIFF_OBJS:.o=.d)
