# The two commands the README promises; both install what they need first (scripts/setup.sh).
.PHONY: dev test e2e build setup bench screenshots

dev:            ## Run the app on the stand-in API: http://127.0.0.1:8080
	bash scripts/dev.sh

test:           ## Run every test layer (native, browser, end to end)
	bash scripts/test.sh

e2e:            ## Only the end-to-end layer
	bash scripts/e2e.sh

build:          ## The release build in dist/
	bash scripts/setup.sh && . scripts/env.sh && node scripts/release.mjs

setup:          ## Install the pinned toolchain (skips what is present)
	bash scripts/setup.sh

bench:          ## Measure the release build (figures; exits 1 when over a budget)
	bash scripts/bench.sh

screenshots:    ## Every gallery entry x phone x theme x language as PNGs (COMPARE=<folder> reports changes)
	bash scripts/setup.sh && . scripts/env.sh && node scripts/release.mjs && cargo build -p standin && node scripts/screenshots.mjs $(if $(COMPARE),--compare $(COMPARE),) $(if $(ONLY),--only $(ONLY),)
