"""A Dynamiq agent behind a small HTTP API (GET /health, POST /run)."""
