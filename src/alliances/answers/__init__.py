"""Decide what the evidence says (evaluate) and answer questions from those verdicts."""
