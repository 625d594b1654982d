"""Pelican settings for local builds (`make html`, `make serve`)."""
import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [p for p in (ROOT, os.path.join(ROOT, "plugins")) if p not in sys.path]

SITENAME = "示例市人民政府门户网站"
SITEURL = ""
PATH = os.path.join(ROOT, "content")
OUTPUT_PATH = os.path.join(ROOT, "output")
THEME = os.path.join(ROOT, "themes", "portal")
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"

PLUGIN_PATHS = [os.path.join(ROOT, "plugins")]
PLUGINS = ["portal"]

# Every content page is written by plugins/portal; Pelican's own generators
# only copy static files (attachments and the theme's assets).
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = ["attachments"]
STATIC_EXCLUDE_SOURCES = True
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {}
ARTICLE_SAVE_AS = PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
THEME_STATIC_DIR = "theme"
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False

PORTAL_CACHE_PATH = os.path.join(ROOT, ".cache")
SHOW_DRAFTS = bool(os.environ.get("DRAFTS"))
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
