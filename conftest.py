"""Root of the test suite. Tests run under eventlet (`nameko test` patches it
first); psycopg2 must then cooperate with the hub."""

from lapor.db import make_green

make_green()

pytest_plugins = ["lapor.testing.pytest_plugin"]
