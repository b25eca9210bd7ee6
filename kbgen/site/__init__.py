"""The MkDocs plugin: turns a kbgen Corpus into help-center pages on the Material theme."""
