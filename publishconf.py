"""Pelican settings for `make publish`: the production site."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://www.shili.gov.cn"
SHOW_DRAFTS = False
# Refuse to publish uncommitted content: the Git history is the record of what was published (issue 6).
PORTAL_REQUIRE_COMMITTED = True
