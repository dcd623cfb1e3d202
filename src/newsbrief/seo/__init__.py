"""Being found and shared: the head's canonical address, language alternates, description,
OpenGraph and Twitter cards; ``sitemap.xml``, ``robots.txt``, the icons and the web manifest.

Every absolute address here is built on ``NEWSBRIEF_BASE_URL``, never on the request's host:
stored pages are kept by path alone (``pages/``), so a page rendered for one host name would
otherwise be served, with that host baked in, to readers of every other."""
