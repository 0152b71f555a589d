# Newsdesk build. `make` builds the optimised build/newsdesk; `make test` builds a separate
# sanitizer build under build/test/ and runs every test; `make run` serves a demo site.
#
# Dependencies come from Debian packages (tools/bootstrap.sh installs what is missing) and
# are found with pkg-config.

CC      ?= cc
PORT    ?= 8080
DB      ?= newsdesk-demo.db
DEMO_POSTS ?= 2000

PKGS    := libh2o-evloop openssl sqlite3 libpq libcmark-gfm zlib libbrotlienc jansson libsodium vips \
           gumbo yajl libxml-2.0 libcurl inih
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wold-style-definition -Wwrite-strings -Wvla -Wformat=2 -fno-common
# third-party headers through -isystem, so their warnings are not ours
PKG_INC  = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags-only-I $(PKGS) 2>/dev/null))
CPPFLAGS = -D_GNU_SOURCE -DH2O_USE_EPOLL=1 -Isrc $(PKG_INC)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lpthread -lm

# CFLAGS and LDFLAGS (empty unless given) reach the release build only: a package build's
# hardening flags (debian/rules passes dpkg-buildflags' values)
RELEASE_CFLAGS := -O2 -g $(WARN) $(CFLAGS)
# NEWSDESK_FAULTS: the store's fault injection (NEWSDESK_FAULT, src/store/sqlite.c), tests only
TEST_CFLAGS    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                  -fno-omit-frame-pointer -DNEWSDESK_FAULTS $(WARN)

LIB_SRC  := $(sort $(wildcard src/*/*.c)) src/routes.c
MAIN_SRC := src/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/*/*.c)) tests/unit/support.c
HTTP_SRC := $(sort $(wildcard tests/http/*.c))

REL_OBJ  := $(patsubst %.c,build/release/%.o,$(LIB_SRC) $(MAIN_SRC))
TST_LIB  := $(patsubst %.c,build/test/%.o,$(LIB_SRC))
TST_MAIN := build/test/src/main.o
UNIT_OBJ := $(patsubst %.c,build/test/%.o,$(UNIT_SRC))
HTTP_OBJ := $(patsubst %.c,build/test/%.o,$(HTTP_SRC))

.PHONY: all run test test-long fuzz-long bootstrap clean check-style format check-format style fuzz bench \
        bench-million \
        screenshots editor check-editor install uninstall deb test-deb FORCE
all: build/newsdesk

bootstrap:
	@tools/bootstrap.sh

build/release/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(RELEASE_CFLAGS) -MMD -MP -c $< -o $@

build/test/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(if $(filter tests/%,$<),-Itests/unit) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

build/newsdesk: $(REL_OBJ)
	$(CC) $(RELEASE_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Where `make install` puts things (the GNU names; DESTDIR stages the tree for a package).
# SYSCONFDIR and LOCALSTATEDIR are /etc and /var for PREFIX=/usr, as Debian has them.
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
DATADIR       ?= $(PREFIX)/share
MANDIR        ?= $(DATADIR)/man
SYSCONFDIR    ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
LOCALSTATEDIR ?= /var
PKGDATADIR    := $(DATADIR)/newsdesk
MANPAGES      := $(wildcard man/*.1 man/*.5)

# The installed binary finds its themes in PKGDATADIR when neither NEWSDESK_THEME nor a
# themes/ folder beside it or in the working directory has them (src/cli/cli.c). The path
# is compiled into cli.o, so the file below holds it and changes only when PKGDATADIR does:
# `make install PREFIX=/usr` after `make` rebuilds cli.o, a second one does not.
build/release/datadir: FORCE
	@mkdir -p $(@D)
	@echo '$(PKGDATADIR)' | cmp -s - $@ || echo '$(PKGDATADIR)' >$@
build/release/src/cli/cli.o: build/release/datadir
build/release/src/cli/cli.o: CPPFLAGS += -DNEWSDESK_DATADIR='"$(PKGDATADIR)"'

# The binary, both themes (every file), the manual pages and, when there is none yet, the
# configuration file (an admin's edits are never overwritten).
install: build/newsdesk
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 build/newsdesk "$(DESTDIR)$(BINDIR)/newsdesk"
	@set -e; for f in $$(cd themes && find default admin -type f | LC_ALL=C sort); do \
	    install -d "$(DESTDIR)$(PKGDATADIR)/themes/$$(dirname "$$f")"; \
	    install -m 0644 "themes/$$f" "$(DESTDIR)$(PKGDATADIR)/themes/$$f"; \
	done; echo "themes installed in $(DESTDIR)$(PKGDATADIR)/themes"
	@set -e; for m in $(MANPAGES); do \
	    s=$${m##*.}; echo "install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/"; \
	    install -d "$(DESTDIR)$(MANDIR)/man$$s"; \
	    install -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man$$s/"; \
	done
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/newsdesk/newsdesk.conf" ]; then \
	    echo "kept $(DESTDIR)$(SYSCONFDIR)/newsdesk/newsdesk.conf"; \
	else \
	    install -d "$(DESTDIR)$(SYSCONFDIR)/newsdesk" && \
	    sed -e 's|@PKGDATADIR@|$(PKGDATADIR)|g' -e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' \
	        -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	        dist/newsdesk.conf.in >"$(DESTDIR)$(SYSCONFDIR)/newsdesk/newsdesk.conf" && \
	    chmod 0644 "$(DESTDIR)$(SYSCONFDIR)/newsdesk/newsdesk.conf" && \
	    echo "wrote $(DESTDIR)$(SYSCONFDIR)/newsdesk/newsdesk.conf"; \
	fi

# Removes what `make install` put there, except the configuration file and the data.
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/newsdesk"
	rm -rf "$(DESTDIR)$(PKGDATADIR)"
	@for m in $(notdir $(MANPAGES)); do \
	    echo "rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m"; rm -f "$(DESTDIR)$(MANDIR)/man$${m##*.}/$$m"; \
	done
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/newsdesk/ (the configuration) and every database"

# `make deb`: the Debian package, built by dpkg-buildpackage from a copy of this tree in
# build/deb/ (so that the package's clean never touches this build/), left in build/deb/.
deb:
	@tools/bootstrap.sh deb
	@tools/deb-build.sh

# `make test-deb`: builds the package and checks it (tools/deb-check.sh: lintian, the
# systemd unit, the contents), about 2 minutes; `make test` runs the same checks among the
# others. tools/deb-install-test.sh installs, upgrades and purges it, on a machine (or
# chroot) where that may happen.
test-deb: deb
	@tools/deb-check.sh

build/test/newsdesk: $(TST_LIB) $(TST_MAIN)
	$(CC) $(TEST_CFLAGS) -o $@ $^ $(LIBS)

# The PostgreSQL dialect's checker (tools/pg/, run by tools/pg-check.sh against a throwaway
# cluster): links libpq itself; nothing else links it yet.
PG_CHECK_SRC := tools/pg/check_sql.c tools/pg/check_rows.c src/store/pg_sql.c src/store/schema_pg.c
PG_INC       := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)

build/tools/pg-check-sql: $(PG_CHECK_SRC) tools/pg/check.h $(wildcard src/store/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I. -isystem $(PG_INC) $(TEST_CFLAGS) -o $@ $(PG_CHECK_SRC) -lpq

# `make bench`'s import figures: Ghost exports of any size (tools/bench/ghost_export.c, libc only)
build/ghost-export-gen: tools/bench/ghost_export.c
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -o $@ $<

# `make bench`'s photo figures: the media engine on one photo (tools/bench/photo.c)
build/photo-bench: tools/bench/photo.c $(patsubst %.c,build/release/%.o,$(LIB_SRC))
	$(CC) $(CPPFLAGS) $(RELEASE_CFLAGS) -o $@ $^ $(LIBS)

# `make bench`'s WordPress export of 10,000 posts in the real one's shape (tools/bench/wxr_gen.c)
build/wxr-gen: tools/bench/wxr_gen.c
	@mkdir -p $(@D)
	$(CC) $(RELEASE_CFLAGS) -o $@ $<

build/test/unit: $(TST_LIB) $(UNIT_OBJ)
	$(CC) $(TEST_CFLAGS) -o $@ $^ $(LIBS) -lcriterion

build/test/http: $(TST_LIB) $(HTTP_OBJ)
	$(CC) $(TEST_CFLAGS) -o $@ $^ $(LIBS) -lcriterion -lbrotlidec

# The server once more with ThreadSanitizer: the concurrency tests run against it too.
TSAN_CFLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer $(WARN)
TSAN_OBJ := $(patsubst %.c,build/tsan/%.o,$(LIB_SRC) $(MAIN_SRC))

build/tsan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TSAN_CFLAGS) -MMD -MP -c $< -o $@

build/tsan/newsdesk: $(TSAN_OBJ)
	$(CC) $(TSAN_CFLAGS) -o $@ $^ $(LIBS)

# Every fuzz target, built with gcc and the sanitizers, replaying its seed corpus.
REPLAYS := $(patsubst fuzz/%.c,build/test/replay/%,$(wildcard fuzz/fuzz_*.c))

build/test/replay/fuzz_%: fuzz/fuzz_%.c tests/fuzz_replay.c $(TST_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TEST_CFLAGS) -Wno-missing-prototypes -o $@ $^ $(LIBS)

# `make run`: install what is missing, build, create the demo database once, serve.
run: bootstrap
	@$(MAKE) --no-print-directory build/newsdesk
	@if [ ! -f "$(DB)" ]; then \
	    echo "creating the demo database $(DB) ($(DEMO_POSTS) posts)"; \
	    ./build/newsdesk demo --db "$(DB)" --posts $(DEMO_POSTS) || { rm -f "$(DB)"; exit 1; }; \
	fi
	@echo "the newsroom is at http://127.0.0.1:$(PORT)/admin/ (make an account first:"
	@echo "  build/newsdesk user add --db $(DB) --email you@example.org --name 'Your Name' --role administrator)"
	./build/newsdesk serve --db "$(DB)" --listen 127.0.0.1:$(PORT)

# The house style is checked first (both checks report before either fails the run), then
# everything is built and tools/run-tests.sh runs every suite.
test:
	@tools/bootstrap.sh test
	@$(MAKE) --no-print-directory style || { \
	    echo "make test: stopped before the build, the house style checks failed (above)."; \
	    echo "make test: tools/run-tests.sh runs the built tests without them."; exit 1; }
	@$(MAKE) --no-print-directory build/test/newsdesk build/test/unit build/test/http $(REPLAYS) \
	    build/tsan/newsdesk build/newsdesk build/tools/pg-check-sql
	@tools/deb-build.sh
	@tools/run-tests.sh

# The long trials, never part of `make test`: the response cache's memory under a churn of
# 200,000 distinct pages, 100 kill -9 trials of the server while two editors write, slow
# clients for minutes with thousands of connections, and 15,000 idle ones
# (tests/http/test_slow.c).
test-long:
	@tools/bootstrap.sh test
	@$(MAKE) --no-print-directory build/test/newsdesk build/test/unit build/test/http build/newsdesk
	@NEWSDESK_MEMORY_PAGES=200000 tools/run-tests.sh --filter 'memory/*'
	@NEWSDESK_CRASH_TRIALS=100 tools/run-tests.sh --filter 'http_crash/*'
	@NEWSDESK_HOSTILE_LONG=1 tools/run-tests.sh --filter 'http_+(slowloris|slow_body|slow_read|idle)/*'

# The README's screenshots (docs/screenshots/): the browser test that takes them, with its
# output there instead of build/screenshots/, where `make test` leaves them.
screenshots:
	@tools/bootstrap.sh test
	@$(MAKE) --no-print-directory build/test/newsdesk build/test/unit build/test/http
	@NEWSDESK_SCREENSHOTS="$(CURDIR)/docs/screenshots" \
	    tools/run-tests.sh --filter 'http_browser/phone_and_desktop_screenshots'

# Fuzzing with clang's libFuzzer: every target under fuzz/ for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_LIB     := $(patsubst %.c,build/fuzz/%.o,$(LIB_SRC))
FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))

# the objects outlive each target's link: every target shares them
.SECONDARY: $(FUZZ_LIB)

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

build/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIB)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(LIBS)

fuzz:
	@tools/bootstrap.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@tools/fuzz.sh $(FUZZ_SECONDS)

# An hour per target; then `FUZZ_MERGE=1 tools/fuzz.sh` folds what was found into
# fuzz/corpus/ (minimised), so that `make test`'s replays keep it.
fuzz-long:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=3600

# `make bench`: Newsdesk against nginx on the same bytes, with wrk (never part of make test).
bench: bootstrap
	@$(MAKE) --no-print-directory build/newsdesk build/photo-bench build/ghost-export-gen build/wxr-gen
	@tools/bench.sh

# `make bench-million`: the figures at a million posts (tools/bench/million.sh, about 15
# minutes and 7 GB under TMPDIR), written as the last section of docs/benchmarks.md, which
# `make bench` keeps when it rewrites the rest.
bench-million:
	@tools/bootstrap.sh bench
	@$(MAKE) --no-print-directory build/newsdesk
	@mkdir -p build/bench
	@tools/bench/million.sh >build/bench/million.md
	@awk '/^## A million posts/ { exit } { print }' docs/benchmarks.md >build/bench/benchmarks.md
	@cat build/bench/million.md >>build/bench/benchmarks.md
	@mv build/bench/benchmarks.md docs/benchmarks.md
	@echo "bench-million: written to docs/benchmarks.md"

# The post editor's rich-text mode: tools/editor/ bundled with esbuild (npm, pinned in
# package.json) into the one committed file themes/admin/assets/rich.js, so that `make run`
# needs no Node.js. esbuild's output is the same bytes for the same sources and version.
ESBUILD      ?= node_modules/.bin/esbuild
EDITOR_JS    := themes/admin/assets/rich.js
EDITOR_FLAGS := --bundle --minify --format=iife --target=es2020 --charset=ascii \
                --legal-comments=none --log-level=warning --alias:entities=./tools/editor/entities.js \
                '--banner:js=/* Newsdesk rich-text editor: built from tools/editor/ by make editor. ProseMirror, prosemirror-markdown and markdown-it are MIT-licensed. */'

editor:
	@[ -x $(ESBUILD) ] || { echo "editor: no $(ESBUILD) (npm ci, or tools/bootstrap.sh test, installs it)"; exit 1; }
	$(ESBUILD) tools/editor/rich.js $(EDITOR_FLAGS) --outfile=$(EDITOR_JS)

# Rebuilds into a temporary file and compares; the bundle may never evaluate strings as
# code (the newsroom's CSP forbids it).
check-editor:
	@[ -x $(ESBUILD) ] || { echo "check-editor: no $(ESBUILD) (npm ci, or tools/bootstrap.sh test, installs it)"; exit 1; }
	@tmp=$$(mktemp) && trap 'rm -f "$$tmp"' EXIT && \
	$(ESBUILD) tools/editor/rich.js $(EDITOR_FLAGS) > "$$tmp" || exit 1; \
	if ! cmp -s "$$tmp" $(EDITOR_JS); then \
	    echo "check-editor: $(EDITOR_JS) is stale: run make editor"; exit 1; \
	fi; \
	if grep -qE '(^|[^.a-zA-Z_$$])eval\(|new Function\b' $(EDITOR_JS); then \
	    echo "check-editor: $(EDITOR_JS) evaluates strings as code (eval or new Function)"; exit 1; \
	fi; \
	echo "editor: ok"

check-style:
	@tools/checkstyle.sh

# clang-format's output changes between major versions: the repository is formatted with 14,
# Debian 12's (tools/bootstrap.sh test installs it)
CLANG_FORMAT ?= $(shell command -v clang-format-14 2>/dev/null || echo clang-format)
FORMAT_SRC := $(LIB_SRC) $(MAIN_SRC) $(wildcard src/*/*.h src/*.h) \
              $(wildcard tests/*.c tests/*/*.c tests/*/*/*.c tests/*/*.h tests/*/*/*.h fuzz/*.c)

format:
	$(CLANG_FORMAT) -i $(FORMAT_SRC)

# Names every file that differs from .clang-format (`$(CLANG_FORMAT) --dry-run FILE` shows how).
check-format:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "check-format: no $(CLANG_FORMAT)"; exit 1; }
	@bad=$$($(CLANG_FORMAT) --dry-run $(FORMAT_SRC) 2>&1 | \
	    sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning:.*/\1/p' | uniq); \
	if [ -n "$$bad" ]; then \
	    echo "check-format: not formatted as .clang-format says ($$($(CLANG_FORMAT) --version)):"; \
	    for f in $$bad; do echo "  $$f"; done; \
	    echo "check-format: 'make format' rewrites them; '$(CLANG_FORMAT) --dry-run FILE' shows the changes"; \
	    exit 1; \
	fi; \
	echo "format: ok"

# All checks run and report before any fails it (make test runs it first).
style:
	@rc=0; \
	tools/checkstyle.sh || rc=1; \
	$(MAKE) --no-print-directory check-format || rc=1; \
	$(MAKE) --no-print-directory check-editor || rc=1; \
	if [ $$rc -ne 0 ]; then \
	    echo "style: check-style, check-format or check-editor failed (above; the rules: ../shared/STYLE.md)"; \
	    exit 1; \
	fi

clean:
	rm -rf build

FORCE:

-include $(shell find build -name '*.d' 2>/dev/null)
