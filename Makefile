# The two commands of the quick start: `make demo` and `make test`.
.PHONY: demo test setup lint bench

setup:
	@bash tools/bootstrap.sh

demo: setup
	.venv/bin/nachtwacht demo

test: setup
	.venv/bin/pytest

lint: setup
	.venv/bin/ruff check .
