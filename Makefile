# godark: one Makefile. `make` builds build/godark; `make run` checks the
# bundled examples; `make test` runs every test; `make SAN=1 test` does so
# under AddressSanitizer and UndefinedBehaviorSanitizer.

CC      ?= cc
BUILD   ?= build
SAN     ?=
TP      := third_party
TS_DIR  := $(TP)/tree-sitter/vendor/tree-sitter/lib
TSG_DIR := $(TP)/tree-sitter-go/src
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0)

ifeq ($(SAN),1)
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
LDLIBS  := -pthread -lz -ldl
LDFLAGS := $(SANFLAGS)

SRCS      := $(sort $(wildcard src/*/*.c))
OBJS      := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/main.o
TS_OBJS   := $(BUILD)/ts/lib.o $(BUILD)/ts/parser.o
TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
DEPS_OK   := $(TP)/.deps-ok

.PHONY: all run test docs docs-check bench clean distclean deps fuzz
all: $(BUILD)/godark

# Third-party sources and system packages, checked once.
deps: $(DEPS_OK)
$(DEPS_OK): tools/fetch-deps.sh tools/need-pkgs.sh
	@tools/need-pkgs.sh zlib1g-dev libcurl4-openssl-dev
	@tools/fetch-deps.sh $(TP)
	@touch $@

$(TS_DIR)/src/lib.c $(TSG_DIR)/parser.c: $(DEPS_OK)

$(BUILD)/ts/lib.o: $(TS_DIR)/src/lib.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(TSFLAGS) -c $< -o $@
$(BUILD)/ts/parser.o: $(TSG_DIR)/parser.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(TSFLAGS) -I$(TSG_DIR) -c $< -o $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/godark: $(MAIN_OBJ) $(OBJS) $(TS_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/godark-unit: $(TEST_OBJS) $(OBJS) $(TS_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

run: $(BUILD)/godark
	@echo "== godark check examples/..."
	@$(BUILD)/godark check examples/...; rc=$$?; \
	 if [ $$rc -eq 1 ]; then echo "== godark reported the examples' findings (exit 1 = findings)"; exit 0; \
	 else echo "== unexpected exit $$rc from godark check examples/..."; exit 1; fi

test: $(BUILD)/godark $(BUILD)/godark-unit
	@GODARK=$(BUILD)/godark GODARK_UNIT=$(BUILD)/godark-unit BUILD=$(BUILD) tests/run.sh

docs: $(BUILD)/godark
	@$(BUILD)/godark docs-gen docs/rules README.md

bench: $(BUILD)/godark
	@bench/run.sh $(BUILD)/godark

clean:
	rm -rf build build-*
distclean: clean
	rm -rf $(TP)

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
