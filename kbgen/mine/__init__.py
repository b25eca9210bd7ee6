"""Mine question logs: read, clean, group paraphrases, rank, match to articles, write drafts and a report.

Each module owns one step (``readers``, ``clean``, ``group``, ``rank``, ``match``, ``drafts``,
``report``); ``pipeline`` runs them in order over a stream of questions.
"""
