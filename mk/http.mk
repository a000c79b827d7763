# mk/http.mk - the HTTP server (src/http*.c, `sitrep serve`) links
# libmicrohttpd; the dashboard's world map (web/world.tsv) is made from the
# npm package world-countries (installed in data/npm by scripts/setup-web.sh
# or setup-geo.sh) when it is there; without it the map shows markers only.
EXTRA_LIBS += -lmicrohttpd

WEB_NPM       ?= data/npm
WEB_COUNTRIES  = $(WEB_NPM)/node_modules/world-countries/countries.json

web/world.tsv: web/make-world.js $(WEB_COUNTRIES)
	node web/make-world.js $(WEB_NPM)/node_modules/world-countries $@.tmp
	mv $@.tmp $@

ifneq ($(wildcard $(WEB_COUNTRIES)),)
ifneq ($(shell command -v node 2>/dev/null),)
all: web/world.tsv
endif
endif

.PHONY: bench-http
bench-http: all
	SITREP=$(CURDIR)/$(BUILD)/sitrep BUILD=$(CURDIR)/$(BUILD) bash bench/http.sh
