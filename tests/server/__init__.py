"""Sync server tests (a package so test modules can import the conftest helpers)."""
