"""Pelican settings for `make publish`: the production site."""
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = "https://www.shili.gov.cn"
SHOW_DRAFTS = False
