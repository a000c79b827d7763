# sitrep - plain GNU Makefile.
# Why not CMake: the work is a handful of named targets (all, test, asan, bench,
# fuzz) over one library and one program; a Makefile states them directly with
# no generator step, and `make test` is what every doc and CI script names.
# Subsystems add rules through fragments in mk/*.mk.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wwrite-strings -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Werror
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -fPIC -fvisibility=hidden \
          -DSITREP_BUILDING -DSITREP_HOME_DEFAULT='"$(CURDIR)"' -Iinclude -Isrc $(CFLAGS) $(EXTRA_CFLAGS)
LIBS    = -lsqlite3 -lutf8proc -lpthread -lm $(EXTRA_LIBS)

SRC     = $(sort $(wildcard src/*.c))
CLI_SRC = $(sort $(wildcard cli/*.c))
OBJ     = $(SRC:%.c=$(BUILD)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT    = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN= $(UNIT:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all lib test unit asan bench fuzz clean check-sh lint
all: $(BUILD)/sitrep $(BUILD)/libsitrep.so

lib: $(BUILD)/libsitrep.a $(BUILD)/libsitrep.so

$(BUILD)/%.o: %.c $(wildcard include/*.h src/*.h cli/*.h)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libsitrep.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libsitrep.so: $(OBJ)
	$(CC) -shared -o $@ $^ $(LIBS) $(LDFLAGS)

# The whole archive is linked: optional subsystems are reached through weak
# references, which would not pull their members out of a plain archive.
WHOLE   = -Wl,--whole-archive $(BUILD)/libsitrep.a -Wl,--no-whole-archive

$(BUILD)/sitrep: $(CLI_OBJ) $(BUILD)/libsitrep.a
	$(CC) -o $@ $(CLI_OBJ) $(WHOLE) $(LIBS) $(LDFLAGS)

# Unit tests may reach private headers (they test the parts); each is a program
# that returns 0 on success.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsitrep.a tests/unit/check.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(WHOLE) $(LIBS) $(LDFLAGS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The whole suite: unit tests, then the shell tests (golden, CLI, bad input).
test: all unit
	@set -e; for t in $(sort $(wildcard tests/sh/*.sh)); do echo "== $$t"; \
	  SITREP=$(CURDIR)/$(BUILD)/sitrep BUILD=$(CURDIR)/$(BUILD) bash $$t; done
	@echo "all tests passed"

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-error=restrict" \
	  LDFLAGS="-fsanitize=address,undefined" test

clean:
	rm -rf build build-asan

-include $(sort $(wildcard mk/*.mk))

# The README's first command: build, ingest the bundled examples into
# sitrep.db and print a summary.
.PHONY: demo
demo:
	scripts/setup.sh
	$(MAKE) all
	rm -f sitrep.db sitrep.db-wal sitrep.db-shm
	$(BUILD)/sitrep ingest examples --db sitrep.db
	$(BUILD)/sitrep summary --db sitrep.db

# Benchmarks: every bench/*.sh, printing figures (never pass/fail on time).
.PHONY: bench
bench: all
	@for b in $(sort $(wildcard bench/*.sh)); do echo "== $$b"; \
	  SITREP=$(CURDIR)/$(BUILD)/sitrep bash $$b || echo "== $$b: a goal was missed or the benchmark failed (exit $$?)"; done
