"""HTML of kbgen's pages from plain records: documents (articles, threads), listings, page parts.

Pure functions. Every text that came from content is escaped here; community text arrives
already sanitized (``kbgen.site.render.community``). Links are made by an ``Href`` the plugin
passes in, so the renderer never needs to know MkDocs' URL rules.
"""
