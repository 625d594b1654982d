# 示例市人民政府门户网站 — Pelican's Makefile conventions plus test/bench/check.
# Every target installs what it needs and is safe to run twice.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
REQ_STAMP := $(VENV)/.req-$(shell sha256sum requirements.txt 2>/dev/null | cut -c1-16)
NPM_STAMP := node_modules/.lock-$(shell sha256sum package-lock.json 2>/dev/null | cut -c1-16)
BUILD := $(BIN)/python scripts/build
DRAFT_FLAG := $(if $(DRAFTS),--drafts,)

.PHONY: help html serve publish clean test bench check deps npm chromium demo-pdfs hooks

help:
	@echo "make serve    构建示例门户并在 http://localhost:$(PORT) 提供访问（DRAFTS=1 显示草稿）"
	@echo "make test     运行全部测试（自动安装依赖和 Chromium）"
	@echo "make html     构建到 output/；make publish 按 publishconf.py 构建；make clean 清理"
	@echo "make check    检查全部内容（含三审三校和错敏词）；make bench 性能基准；make hooks 安装提交前检查"

$(REQ_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.req-* && touch $@

deps: $(REQ_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm: $(NPM_STAMP)

# Debian's Chromium and CJK fonts for the browser tests (root on these machines; sudo elsewhere).
chromium:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; }

demo-pdfs: deps
	$(BIN)/python scripts/make_demo_pdfs.py

html: deps npm
	$(BUILD) -s pelicanconf.py $(DRAFT_FLAG)

publish: deps npm
	$(BUILD) -s publishconf.py

serve: html
	@echo "门户已构建：http://localhost:$(PORT)/ （Ctrl+C 停止）"
	$(BIN)/python -m http.server $(PORT) --directory output

check: deps
	$(BIN)/python -m govportal.check content

# Git pre-commit hook: checks the staged content/ files (三审三校, 错敏词 and the content model).
hooks: deps
	@hook="$$(git rev-parse --git-path hooks)/pre-commit"; mkdir -p "$$(dirname "$$hook")"; \
	printf '%s\n' '#!/bin/sh' '# 由 make hooks 安装：提交前检查暂存的 content/ 文件' \
	  'git diff --cached --quiet -- content/ && exit 0' \
	  'exec $(BIN)/python -m govportal.check content --staged' > "$$hook"; \
	chmod +x "$$hook"; echo "已安装提交前检查：$$hook"

test: deps npm chromium
	$(BIN)/python -m pytest -q tests
	node --test tests/js/

bench: deps npm
	$(BIN)/python scripts/bench.py

# Publication history (issue 6) of 14,000 documents × 3 versions: cold, cached by HEAD, after one commit.
# The Git repository is generated once into bench-work/ by scripts/gen_history_repo.py.
.PHONY: bench-history
bench-history: deps
	$(BIN)/python scripts/bench_history.py

# Policy library search (issue 5) at 14,000 documents, served with gzip, in Debian's Chromium: bytes to the
# first results, keystroke-to-results latency, relevance; the same for Pagefind side by side.
.PHONY: bench-search
bench-search: deps npm chromium
	cd scripts/pagefind && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/bench_search.py

# Lighthouse (npm) in Debian's Chromium, mobile emulation, on the home page, the newest policy and the
# catalogue: prints the four category scores (exit 1 below 95). Not part of `make test`.
.PHONY: lighthouse
lighthouse: html chromium
	$(BIN)/python scripts/lighthouse.py --site output

clean:
	rm -rf output .output.* .cache
