# mk/fuzz.mk - fuzzing (issue 9). Targets live in tests/fuzz/fuzz_<name>.c, each
# defining LLVMFuzzerTestOneInput; seed corpora and regression inputs (every
# crash found, minimised) in tests/fuzz/corpus/<name>/.
#
#   make fuzz                 build every target with clang -fsanitize=fuzzer,
#                             address,undefined and run each for FUZZ_SECONDS
#                             (default 60), one after another
#   make fuzz-<name>          build and run one target (same variables)
#   make fuzz-build           build the libFuzzer programs only
#   make fuzz-replay          the plain replay programs (normal compiler, no
#                             libFuzzer): $(BUILD)/fuzz-replay/fuzz_<name>;
#                             `make test` builds them and tests/sh/fuzz_replay.sh
#                             feeds them every corpus file
#
# Variables: FUZZ_CC (clang), FUZZ_BUILD (build-fuzz), FUZZ_SECONDS (60),
# FUZZ_FLAGS (extra libFuzzer flags, e.g. -jobs=2 or -max_len=65536),
# SITREP_FUZZ_MODELS (tagger/parser models for fuzz_parse; default models/).
# The working corpus grows in $(FUZZ_BUILD)/corpus/<name>; crashes land in
# $(FUZZ_BUILD)/crashes/<name>/ (copy them, minimised with -minimize_crash=1, to
# tests/fuzz/corpus/<name>/ as regression files); logs in $(FUZZ_BUILD)/logs/.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_NAMES    = $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS     = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_REPLAY   = $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay/fuzz_%)
FUZZ_HDRS     = tests/fuzz/fuzz.h $(wildcard include/*.h src/*.h)

.PHONY: fuzz fuzz-build fuzz-replay $(FUZZ_NAMES:%=fuzz-%)

# The library, instrumented for coverage and sanitizers (warnings are the
# normal build's business: they are not errors here). The inner make builds
# it with the main Makefile's own rule (this one is not defined there).
ifneq ($(BUILD),$(FUZZ_BUILD))
$(FUZZ_BUILD)/libsitrep.a: $(SRC) $(wildcard include/*.h src/*.h)
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) WARN=-w \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libsitrep.a
endif

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HDRS) $(FUZZ_BUILD)/libsitrep.a
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -Iinclude -Isrc -Itests/fuzz \
	  -o $@ $< -Wl,--whole-archive $(FUZZ_BUILD)/libsitrep.a -Wl,--no-whole-archive $(LIBS)

fuzz-build: $(FUZZ_BINS)

# Run one target: the working corpus first (new inputs go there), the seeds second.
define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/crashes/$(1) $(FUZZ_BUILD)/logs
	@echo "== fuzz_$(1) for $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/logs/$(1).log)"
	@$(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/crashes/$(1)/ $(FUZZ_FLAGS) \
	  $(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1) > $(FUZZ_BUILD)/logs/$(1).log 2>&1; \
	  rc=$$?; grep -E '^(stat::|Done|INFO: Running with|#[0-9]+.*DONE)' $(FUZZ_BUILD)/logs/$(1).log | tail -6; \
	  if [ $$rc -ne 0 ]; then echo "fuzz_$(1): FAILED (exit $$rc), see $(FUZZ_BUILD)/logs/$(1).log"; tail -40 $(FUZZ_BUILD)/logs/$(1).log; fi; \
	  exit $$rc
endef

$(foreach n,$(FUZZ_NAMES),$(eval fuzz-$(n): $(FUZZ_BUILD)/fuzz_$(n) ; $$(call fuzz_run,$(n))))

# every target, even when one fails; the status says whether any did
fuzz: fuzz-build
	@fail=0; for n in $(FUZZ_NAMES); do $(MAKE) --no-print-directory fuzz-$$n || fail=1; done; \
	  if [ $$fail -ne 0 ]; then echo "fuzz: a target failed"; exit 1; fi; echo "fuzz: every target ran clean"

# Replay programs: the same target sources with replay_main.c, the project's
# compiler and flags, against the normal library.
$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(FUZZ_HDRS) $(BUILD)/libsitrep.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/fuzz -o $@ $< tests/fuzz/replay_main.c $(WHOLE) $(LIBS) $(LDFLAGS)

fuzz-replay: $(FUZZ_REPLAY)
test: $(FUZZ_REPLAY)

# forget the fuzz build and its grown corpora, crashes and logs
.PHONY: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
