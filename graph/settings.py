"""One settings class, read from the environment (and a `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    kg_store: Literal["memory", "neo4j"] = "memory"
    kg_data: Path = Path("data/kg.jsonl")
    kg_batch_size: int = Field(1000, ge=1, le=100_000)
    kg_api_key: str | None = None
    # the largest POST /ingest body accepted (a bigger one is a 413, read no further); big loads: kg ingest
    kg_api_max_upload_bytes: int = Field(64 * 1024 * 1024, ge=1)
    # lineage/coverage responses cached per graph version (api/cache.py); off if the graph is edited by hand
    kg_api_cache: bool = True
    kg_api_cache_size: int = Field(1024, ge=0, le=1_000_000)
    # 0: a cached answer needs a version read begun after the request (strict); > 0: a read begun at
    # most this long before it will do (writes by other processes seen within the bound).
    kg_api_cache_staleness_ms: int = Field(0, ge=0, le=60_000)
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    # seconds a read may run before the server stops it (a runaway query must not hold the server)
    neo4j_query_timeout: float = Field(60.0, gt=0, le=86_400)


@lru_cache
def get_settings() -> Settings:
    return Settings()
