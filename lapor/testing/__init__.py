"""Fixtures and helpers for every service's tests."""
