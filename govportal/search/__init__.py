"""政策文件库检索：the search index of the portal, built with the site and queried in the browser.

No Pelican here. :mod:`.tokenizer` is the Chinese tokenizer shared with the
browser, :mod:`.index` and :mod:`.segments` build the sharded index (a cached
base plus a delta of what changed), :mod:`.codec` writes its binary shards and
:mod:`.pages` turns it into the :class:`~govportal.pages.PageSpec` list of the
search page and its data files.
"""
