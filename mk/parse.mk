# mk/parse.mk - the tagger and parser models. `make models` retrains
# models/tagger.bin and models/parser.bin from ../shared/treebanks (UD English
# EWT + GUM CC-BY; about ten minutes on one core); `make bench-parse` prints the
# tag+parse throughput and model load time on EWT test (a benchmark, not a test).
TREEBANKS ?= ../shared/treebanks

.PHONY: models bench-parse
models: $(BUILD)/sitrep
	SITREP=$(BUILD)/sitrep scripts/train-models.sh $(TREEBANKS) models

bench-parse: $(BUILD)/sitrep
	$(BUILD)/sitrep eval-parse --conllu $(TREEBANKS)/en_ewt-ud-test.conllu --models models
