"""Community threads: forum importers, thread files written back losslessly, summaries, promotion to FAQ."""
