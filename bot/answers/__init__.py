"""Answering: reading the question, evidence, clauses, the verdict, the decline model, composing
the answer, and live reload."""
