# The two commands of the quick start: `make demo` and `make test`.
.PHONY: demo test setup lint bench

setup:
	@bash tools/bootstrap.sh

demo: setup
	.venv/bin/nachtwacht demo

# Four test files at a time (pytest-xdist; each file whole on one worker, tests/conftest.py).
test: setup
	.venv/bin/pytest -n 4 --dist loadfile --no-loadscope-reorder

lint: setup
	.venv/bin/ruff check .
