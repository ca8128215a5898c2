from lapor.migrate import run_env

run_env()
