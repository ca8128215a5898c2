"""The only kernel code that imports nameko: dependency providers, the event
handler entrypoint, health and metrics endpoints.

Importing this package makes psycopg2 cooperate with eventlet, so it must be
imported (by a service module) before any database connection is opened.
"""

from lapor.db import make_green

make_green()
