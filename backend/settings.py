"""Runtime settings, read once from the environment (``QUOTIENT_*`` and ``DATABASE_URL``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "var" / "quotient.db"
DEFAULT_SECRET = "dev-insecure-secret-change-me"


class Settings(BaseSettings):
    """Validated settings; production refuses the unsafe development defaults."""

    model_config = SettingsConfigDict(env_prefix="QUOTIENT_", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}",
        validation_alias="DATABASE_URL",
    )
    secret_key: str = DEFAULT_SECRET
    debug: bool = False
    cors_origins: list[str] = Field(default_factory=list)
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    max_page_size: int = 500
    # Sign-in attempts per minute, counted in this process (see backend/services/throttle.py).
    sign_in_limit_per_client: int = 30
    sign_in_limit_per_username: int = 10
    # The job worker (backend/services/jobs): in the server process unless off (None: on,
    # except under env=test); production runs `quotient worker` and turns this off.
    worker_in_process: bool | None = None
    worker_poll_seconds: float = 2.0
    worker_lease_seconds: float = 900.0  # a job running longer is taken back from its worker
    # E-mail notifications over SMTP; no host: e-mails are skipped (the inbox still works).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from: str = "Quotient <quotient@localhost>"
    smtp_timeout_seconds: float = 30.0

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def runs_worker_in_process(self) -> bool:
        return self.worker_in_process if self.worker_in_process is not None else self.env != "test"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if not self.is_production:
            return self
        problems = []
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
            problems.append("QUOTIENT_SECRET_KEY must be set to a random value of >= 32 chars")
        if self.debug:
            problems.append("QUOTIENT_DEBUG must be off")
        if "*" in self.cors_origins:
            problems.append("QUOTIENT_CORS_ORIGINS must not contain '*'")
        if self.smtp_password and self.smtp_tls == "none":
            problems.append("QUOTIENT_SMTP_TLS must not be none when a password is sent")
        if problems:
            raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
