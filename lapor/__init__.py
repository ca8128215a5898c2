"""Lapor kernel: the event log, its contracts, relay and consumers shared by every service."""
