"""kbgen: turn a git repository of Markdown into a searchable help center with community Q&A."""

__version__ = "0.1.0"
