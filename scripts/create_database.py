"""Create the database named by DATABASE_URL if it does not exist (idempotent)."""

import os

import environ
import psycopg
from psycopg import sql

url = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire")
config = environ.Env.db_url_config(url)
params = {
    "host": config.get("HOST") or "127.0.0.1",
    "port": config.get("PORT") or 5432,
    "user": config.get("USER") or "postgres",
    "password": config.get("PASSWORD") or None,
}
name = config["NAME"]
with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"✓ Base « {name} » créée")
with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
    for extension in ("postgis", "unaccent", "pg_trgm"):
        conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(sql.Identifier(extension)))
