"""Settings: every ``PARAAF_*`` environment variable, read once into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MODES = ("local", "production")
BACKENDS = ("local", "graph")


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names the variable."""


def default_data_dir() -> Path:
    """The user's data directory for paraaf (e.g. ~/.local/share/paraaf)."""
    from platformdirs import user_data_dir  # imported here: keeps `paraaf --help` fast

    return Path(user_data_dir("paraaf", appauthor=False))


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}.")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, options: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().lower() or default
    if value not in options:
        raise SettingsError(f"{name} must be one of {', '.join(options)}, not {value!r}.")
    return value


def _check_production(settings: Settings) -> Settings:
    if settings.mode == "production" and not settings.app_id:
        raise SettingsError(
            "PARAAF_MODE=production needs the bot's app registration: set PARAAF_APP_ID and "
            "PARAAF_APP_PASSWORD (or PARAAF_APP_CERT_THUMBPRINT and PARAAF_APP_CERT_KEY_FILE, "
            "or PARAAF_APP_TYPE=userassignedmsi)."
        )
    return settings


@dataclass(frozen=True)
class Settings:
    """The product's configuration (see the README's configuration table)."""

    mode: str = "local"
    backend: str = "local"
    data_dir: Path = field(default_factory=default_data_dir)
    host: str = "127.0.0.1"
    port: int = 3978
    public_url: str = ""
    log_level: str = "INFO"
    log_format: str = "text"
    tenant_allowlist: tuple[str, ...] = ()
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    app_cert_thumbprint: str = ""
    app_cert_key_file: str = ""
    delivery: bool = True

    @property
    def database(self) -> Path:
        return self.data_dir / "paraaf.db"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def directory_file(self) -> Path:
        return self.data_dir / "directory.yaml"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, data_dir: str | None = None
    ) -> Settings:
        """Read the settings; ``data_dir`` (the ``--data`` option) wins over PARAAF_DATA."""
        env = os.environ if env is None else env
        mode = _choice(env, "PARAAF_MODE", "local", MODES)
        host = env.get("PARAAF_HOST", "").strip() or ("127.0.0.1" if mode == "local" else "0.0.0.0")
        if mode == "local" and host not in ("127.0.0.1", "localhost", "::1"):
            raise SettingsError(
                "PARAAF_HOST must be a loopback address in local mode (authentication is off "
                f"there), not {host!r}. Set PARAAF_MODE=production to listen on {host}."
            )
        data = data_dir or env.get("PARAAF_DATA", "").strip()
        allow = env.get("PARAAF_TENANT_ALLOWLIST", "")
        return _check_production(cls(
            mode=mode,
            backend=_choice(env, "PARAAF_BACKEND", "local", BACKENDS),
            data_dir=Path(data).expanduser() if data else default_data_dir(),
            host=host,
            port=_int(env, "PARAAF_PORT", 3978, 1, 65535),
            public_url=env.get("PARAAF_PUBLIC_URL", "").strip().rstrip("/"),
            log_level=_choice(env, "PARAAF_LOG_LEVEL", "info", ("debug", "info", "warning",
                                                                  "error")).upper(),
            log_format=_choice(env, "PARAAF_LOG_FORMAT", "text", ("text", "json")),
            tenant_allowlist=tuple(t.strip().lower() for t in allow.split(",") if t.strip()),
            app_id=env.get("PARAAF_APP_ID", "").strip(),
            app_password=env.get("PARAAF_APP_PASSWORD", ""),
            app_tenant_id=env.get("PARAAF_APP_TENANT_ID", "").strip(),
            app_type=_choice(env, "PARAAF_APP_TYPE", "multitenant",
                             ("multitenant", "singletenant", "userassignedmsi")),
            app_cert_thumbprint=env.get("PARAAF_APP_CERT_THUMBPRINT", "").strip(),
            app_cert_key_file=env.get("PARAAF_APP_CERT_KEY_FILE", "").strip(),
            delivery=_choice(env, "PARAAF_DELIVERY", "on", ("on", "off")) == "on",
        ))
