"""Where the app may listen: loopback unless told otherwise, and never elsewhere without a login."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


class LaunchRefused(ValueError):
    """The app must not start as configured; the message says why and what to set."""


@dataclass(frozen=True)
class LaunchConfig:
    host: str
    port: int
    auth: tuple[str, str] | None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def launch_config(host: str | None, port: int | None, env: Mapping[str, str]) -> LaunchConfig:
    """Host, port and login from flags and RAG_UI_* variables; refuses an open host without a login."""
    host = host or env.get("RAG_UI_HOST") or DEFAULT_HOST
    port = port or int(env.get("RAG_UI_PORT") or DEFAULT_PORT)
    user, password = env.get("RAG_UI_USER", ""), env.get("RAG_UI_PASSWORD", "")
    if bool(user) != bool(password):
        raise LaunchRefused("Set both RAG_UI_USER and RAG_UI_PASSWORD to require a login, or neither.")
    auth = (user, password) if user else None
    if auth is None and not is_loopback(host):
        raise LaunchRefused(
            f"Refusing to serve on {host} without a login: anyone on the network could use it. "
            "Set RAG_UI_USER and RAG_UI_PASSWORD, or bind 127.0.0.1."
        )
    return LaunchConfig(host=host, port=port, auth=auth)
