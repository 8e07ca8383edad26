# troupe — build, run and test. `make run` and `make test` are all a new user needs.
GO        ?= go
DATA      ?= ./data
TELNET    ?= :4000
PKGS      := ./...

.PHONY: all build run test check fuzz bench smoke deps clean

all: build

build:
	$(GO) build -o bin/troupe ./cmd/troupe

## run: start a server with the embedded default world and store on $(TELNET).
run: build
	./bin/troupe --telnet $(TELNET) --data $(DATA)

## deps: system packages the tests drive (real MUD clients); needs root or sudo.
deps:
	@bash .ci/deps

## test: every test, with the race detector.
test: deps
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -s -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -s -l . ; echo "gofmt: files above need formatting"; exit 1)
	$(GO) test -race -count=1 -timeout=900s $(PKGS)

check:
	gofmt -s -l .
	$(GO) vet $(PKGS)

## fuzz: the telnet decoder fuzz target (FUZZTIME=10m for a long run).
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./net/telnet -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME)

## bench: every row of BENCHMARKS.md (scripts/bench.sh: scenarios (a) (b)
## crowd (c) (d), the portal's (e) (f) via scripts/portalbench.sh, the Go
## benchmarks), about 35 min on 2 cores; its History section is kept.
## BENCH_QUICK=1 for a 1/10-scale run of about 7 minutes (use
## BENCH_OUT=/tmp/bench-quick.md with it), BENCH_ONLY="crowd" for some parts,
## BENCH_KEEP=1 keeps the raw reports; see the script's header.
bench:
	GO=$(GO) bash scripts/bench.sh

clean:
	rm -rf bin
