"""Demo data: agencies of three provinces and service standards that look real
but are NOT official. Every demo standard has `demo: true`, a description
starting with "[DATA DEMO", and a decree number starting with "DEMO/".

    python -m services.sipp.demo        (or: make demo)

Idempotent: a second run registers and publishes nothing new.
"""
