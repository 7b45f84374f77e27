"""Scoring: document-level verdicts and batch scoring of corpora."""
