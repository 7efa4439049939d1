"""Collector actions: one function per action, each one write transaction with its audit rows."""
